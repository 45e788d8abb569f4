/** What an open stack holds: its config and its outputs, read without changing anything. */
import type { ConfigMap } from "@pulumi/pulumi/automation/index.js";
import { pulumiFailureToCliError } from "./failure.js";
import type { OpenStack } from "./openStack.js";
import type { StackOutputs } from "./outputs.js";
import { runStackCommand } from "./stackCommand.js";

/** The stack's config as `pulumi config --json` has it. */
export async function readStackConfig({ stack, context }: OpenStack): Promise<ConfigMap> {
  try {
    return await stack.getAllConfig();
  } catch (error) {
    throw pulumiFailureToCliError(error, context);
  }
}

/**
 * The stack's outputs. The SDK's `stack.outputs()` always fetches the plaintext too, so without
 * `showSecrets` the CLI is asked for the masked outputs alone: a secret nobody asked for never
 * leaves the state.
 */
export async function readStackOutputs({ stack, context }: OpenStack, { showSecrets }: { showSecrets: boolean }): Promise<StackOutputs> {
  try {
    if (showSecrets) return await stack.outputs();
    const masked = JSON.parse(await runStackCommand(stack, ["stack", "output", "--json"])) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(masked).map(([name, value]) => [name, { value, secret: value === "[secret]" }]));
  } catch (error) {
    throw pulumiFailureToCliError(error, context);
  }
}
