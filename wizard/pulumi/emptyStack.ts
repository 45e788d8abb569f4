/** A stack without outputs: why it has none, and what a command that needs them tells the user. */
import { UsageError } from "../errors.js";
import { pulumiFailureToCliError } from "./failure.js";
import type { OpenStack } from "./openStack.js";
import type { StackRef } from "./stackTarget.js";

export type EmptyStackReason = "resources-deleted" | "never-completed";

/**
 * Why a stack has no outputs: `teardown --keep-state` deleted its resources and kept its state, or its
 * first update never completed. The last entry of its history tells.
 */
export async function emptyStackReason({ stack, context }: OpenStack): Promise<EmptyStackReason> {
  try {
    // Without --show-secrets: only the kind and result are read.
    const [last] = await stack.history(1, 1, false);
    return last?.kind === "destroy" && last.result === "succeeded" ? "resources-deleted" : "never-completed";
  } catch (error) {
    throw pulumiFailureToCliError(error, context);
  }
}

/** A stack without outputs, for a command that needs them: what happened to it, and what to run. */
export function emptyStackError(name: string, ref: StackRef, reason: EmptyStackReason): UsageError {
  const setup = `census-pinpoint setup --region ${ref.region} --project-id ${ref.projectId}`;
  return reason === "resources-deleted"
    ? new UsageError(
        `Stack ${name}: resources deleted, state kept. Its resources were deleted (teardown --keep-state) and only its history is left.`,
        `\`${setup}\` creates them again (with a new access key for Census); \`census-pinpoint teardown --stack ${name}\` removes the stack too.`,
      )
    : new UsageError(`Stack ${name} has no outputs yet: its first update never completed.`, `Finish it with \`${setup}\` (it resumes where it stopped).`);
}
