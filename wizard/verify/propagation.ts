/**
 * Which failures a new access key or a just-attached policy explain. IAM is eventually consistent: for
 * a few seconds after it is created a key may be unknown to STS, S3 or Pinpoint, and a new policy may
 * not apply yet. Only those failures are worth waiting for; a missing bucket or project never is.
 */
import { classifyAwsError } from "../aws/awsErrors.js";
import type { AwsTarget } from "../aws/target.js";

/** How long after a change to the key or its policies a failure may still be propagation. */
export const PROPAGATION_WINDOW_MS = 5 * 60_000;

// What AWS answers, service by service, for a key it does not know (yet).
const UNKNOWN_KEY_CODES = new Set(["InvalidClientTokenId", "InvalidAccessKeyId", "SignatureDoesNotMatch", "UnrecognizedClientException"]);

export interface KeyFreshness {
  /** The key may not have reached every service yet, so a rejection of it may pass. */
  keyMayPropagate: boolean;
  /** The key or its permissions changed moments ago, so a refusal may pass. */
  policyMayPropagate: boolean;
}

export interface FreshnessFacts {
  /** When the key was created (the stack's output, or IAM's answer to the administrator). */
  keyCreatedAt?: Date;
  /** IAM's status of the key, when the administrator could read it. */
  keyStatus?: "active" | "inactive" | "absent";
  /** The caller has just created or changed the key or its policies (setup right after an update). */
  recentlyChanged?: boolean;
  now: Date;
}

export function freshnessOf(facts: FreshnessFacts): KeyFreshness {
  const age = facts.keyCreatedAt ? facts.now.getTime() - facts.keyCreatedAt.getTime() : undefined;
  const young = age !== undefined && age < PROPAGATION_WINDOW_MS;
  // An inactive key is not on its way anywhere; an absent one neither, unless it was created moments
  // ago (IAM's own listing may lag behind its creation too).
  const settled = facts.keyStatus === "inactive" || (age !== undefined ? !young : facts.keyStatus === "absent");
  return { keyMayPropagate: !settled, policyMayPropagate: facts.recentlyChanged === true || young };
}

/** Why waiting may help with this failure, or undefined when it cannot. */
export function propagationCause(error: unknown, key: AwsTarget, freshness: KeyFreshness): string | undefined {
  const failure = classifyAwsError(error, key);
  if (failure.kind === "rejected-credentials" && UNKNOWN_KEY_CODES.has(failure.code) && freshness.keyMayPropagate) {
    return `AWS does not accept the access key yet (${failure.code}); a new key takes a few seconds to reach every service`;
  }
  if (failure.kind === "access-denied" && freshness.policyMayPropagate) {
    return `AWS still refuses ${failure.action ?? "the request"} to the access key; new permissions take a few seconds to apply`;
  }
  return undefined;
}
