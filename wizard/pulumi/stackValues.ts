/** Census's values from an existing stack, for the commands that show or check them. */
import type { PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import type { CensusValues } from "../censusValues.js";
import { type ProgressReporter, silentProgress } from "../progress.js";
import { emptyStackError, emptyStackReason } from "./emptyStack.js";
import { openStack } from "./openStack.js";
import { censusValuesFrom } from "./outputs.js";
import { readStackOutputs } from "./stackReads.js";
import type { PulumiTarget, StackRef } from "./stackTarget.js";

/** The secret key is masked (and never read) unless `showSecrets`. */
export async function readStackValues(
  target: PulumiTarget & StackRef,
  options: { showSecrets: boolean; pulumiCommand?: PulumiCommand; onProgress?: ProgressReporter },
): Promise<CensusValues> {
  const opened = await openStack(target, target, { create: false, onProgress: options.onProgress ?? silentProgress, pulumiCommand: options.pulumiCommand });
  const outputs = await readStackOutputs(opened, options);
  if (outputs.accessKeyId === undefined) throw emptyStackError(opened.stack.name, target, await emptyStackReason(opened));
  return censusValuesFrom(outputs, opened.stack.name, { showSecrets: options.showSecrets });
}
