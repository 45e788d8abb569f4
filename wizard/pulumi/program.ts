/**
 * The inline program census-pinpoint runs: the stack `pulumi up` runs too (infra/stack.ts), with the
 * component's `protect` off, because census-pinpoint shows the plan and asks for its own consent before
 * anything is replaced or deleted, and its teardown must be able to delete. Imported when the CLI asks
 * for the program, so start-up stays light.
 */
import type { ConfigMap, PulumiFn } from "@pulumi/pulumi/automation/index.js";
import type { CensusPinpointStagingArgs } from "../../infra/component.js";
import { argsFromConfig, stackConfigKey } from "../../infra/config.js";

export function stackProgram(overrides: Partial<CensusPinpointStagingArgs> = {}): PulumiFn {
  return async () => (await import("../../infra/stack.js")).censusPinpointStack({ ...overrides, protect: false });
}

/**
 * The component arguments a config would give the program, so a preview can show what writing that
 * config and updating would do, before anything is written.
 */
export function configOverrides(config: ConfigMap): Partial<CensusPinpointStagingArgs> {
  return argsFromConfig((key) => config[stackConfigKey(key)]?.value);
}
