/** setup's deployment: the stack for its inputs opened (or created), configured and updated. */
import type { PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import type { CensusValues } from "../censusValues.js";
import type { SetupInputs } from "../setup/inputs.js";
import { openStack } from "./openStack.js";
import { censusValuesFrom } from "./outputs.js";
import { stackConfigFor } from "./stackConfig.js";
import type { PulumiTarget } from "./stackTarget.js";
import { updateStack, type UpdateOptions } from "./updateStack.js";

export interface DeployOptions extends UpdateOptions {
  /** Tests inject a fake; otherwise the CLI on PATH (or in the default install root). */
  pulumiCommand?: PulumiCommand;
}

export interface DeployResult {
  values: CensusValues;
  /** False when the update left every resource as it was. */
  changed: boolean;
  stackName: string;
  workDir: string;
}

/** Creates or updates the stack for `inputs` and returns Census's values, the secret key in clear. */
export async function deployStack(target: PulumiTarget, inputs: SetupInputs, options: DeployOptions): Promise<DeployResult> {
  const opened = await openStack(target, inputs, { create: true, onProgress: options.onProgress, pulumiCommand: options.pulumiCommand });
  const { outputs, changed } = await updateStack(opened, stackConfigFor(inputs), { ...options, resumeCommand: options.resumeCommand ?? "census-pinpoint setup" });
  return { values: censusValuesFrom(outputs, opened.stack.name, { showSecrets: true }), changed, stackName: opened.stack.name, workDir: opened.workDir };
}
