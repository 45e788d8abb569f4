/** The last operation recorded in a stack's history: what it was, how it ended, and when. */
import type { UpdateKind, UpdateResult } from "@pulumi/pulumi/automation/index.js";
import { pulumiFailureToCliError } from "./failure.js";
import type { OpenStack } from "./openStack.js";

export interface LastUpdate {
  kind: UpdateKind;
  result: UpdateResult;
  /** ISO times. */
  startedAt: string;
  endedAt?: string;
}

/** Undefined for a stack that was never updated. */
export async function readLastUpdate({ stack, context }: OpenStack): Promise<LastUpdate | undefined> {
  try {
    // Page size 1 of page 1; without --show-secrets, as nothing here needs the config's secrets.
    const [last] = await stack.history(1, 1, false);
    if (!last) return undefined;
    return { kind: last.kind, result: last.result, startedAt: last.startTime.toISOString(), ...(last.endTime ? { endedAt: last.endTime.toISOString() } : {}) };
  } catch (error) {
    throw pulumiFailureToCliError(error, context);
  }
}
