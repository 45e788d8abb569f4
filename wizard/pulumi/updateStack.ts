/** The one update path of setup and rotate-key: writes the stack's config and runs `up`. */
import type { ConfigMap, UpdateSummary } from "@pulumi/pulumi/automation/index.js";
import { PROJECT_NAME, stagingBucketResourceName } from "../../infra/names.js";
import { NAMED_TYPES } from "../aws/namedTypes.js";
import { stopSignalOf } from "../interrupt.js";
import type { ProgressReporter } from "../progress.js";
import { engineOutput, trackEngineEvents } from "./events.js";
import { interruptedError, pulumiFailureToCliError } from "./failure.js";
import { adoptingProgram, adoptionKey, resolveInterruptedCreates } from "./interruptedCreates.js";
import type { OpenStack } from "./openStack.js";
import type { StackOutputs } from "./outputs.js";
import { stackProgram } from "./program.js";

export interface UpdateOptions {
  onProgress: ProgressReporter;
  /** Report the CLI's raw output as "engine-output" events. */
  verbose?: boolean;
  /** Aborting it stops the update (the CLI gets SIGINT) and the result is an InterruptedError. */
  signal?: AbortSignal;
  /** The command line that resumes this update, quoted in error hints. */
  resumeCommand?: string;
  /** `adopt`: the staging bucket made by hand, which this update imports (Pulumi's `import`) instead of creating one. */
  importBucket?: string;
}

export interface UpdateResult {
  /** Every stack output, the secret ones in clear. */
  outputs: StackOutputs;
  /** False when the update left every resource as it was. */
  changed: boolean;
}

function hasChanges(summary: UpdateSummary | undefined): boolean {
  // Without a summary nothing proves the update was a no-op.
  if (!summary?.resourceChanges) return true;
  return Object.entries(summary.resourceChanges).some(([op, count]) => op !== "same" && (count ?? 0) > 0);
}

/**
 * Writes `config` into the stack (keys left out keep their values) and runs `up`. Engine events go to
 * `onProgress`, failures come back typed, with the resume command in their hint.
 */
export async function updateStack({ stack, context, aws }: OpenStack, config: ConfigMap, options: UpdateOptions): Promise<UpdateResult> {
  const { resumeCommand } = options;
  const interruptedBy = () => stopSignalOf(options.signal);
  const tracker = trackEngineEvents(options.onProgress);
  const output = engineOutput(options.onProgress, options.verbose);
  try {
    await stack.setAllConfig(config);
    const adoptions = await resolveInterruptedCreates(stack, aws, options.onProgress);
    if (options.importBucket !== undefined) adoptions.set(adoptionKey(NAMED_TYPES.bucket, stagingBucketResourceName(PROJECT_NAME)), options.importBucket);
    if (interruptedBy()) throw interruptedError({ ...context, resumeCommand, interruptedBy: interruptedBy() });
    const result = await stack.up({
      program: adoptingProgram(stackProgram(), adoptions),
      // What was deleted or changed by hand in AWS is read first, so the update puts it back.
      refresh: true,
      onEvent: tracker.onEvent,
      onOutput: output.onOutput,
      onError: output.onError,
      signal: options.signal,
      color: "never",
      showSecrets: false,
    });
    return { outputs: result.outputs, changed: hasChanges(result.summary) };
  } catch (error) {
    throw pulumiFailureToCliError(error, { ...context, resumeCommand, failures: tracker.failures, interruptedBy: interruptedBy() });
  } finally {
    output.flush();
  }
}
