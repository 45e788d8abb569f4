import { CensusPinpointStaging, stagingOutputs, type CensusPinpointStagingArgs, type StagingOutputs } from "./component.js";
import { stagingArgsFromConfig } from "./config.js";
import { PROJECT_NAME } from "./names.js";

/**
 * The whole stack from its config: what `pulumi up` runs (program.ts) and what the wizard runs as its
 * inline program, so both manage the same resources under the same names. `overrides` win over the
 * config: the wizard previews a change before writing it into the config.
 */
export function censusPinpointStack(overrides: Partial<CensusPinpointStagingArgs> = {}): StagingOutputs {
  return stagingOutputs(new CensusPinpointStaging(PROJECT_NAME, { ...stagingArgsFromConfig(), ...overrides }));
}
