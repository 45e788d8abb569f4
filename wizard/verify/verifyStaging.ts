/**
 * `verify`'s core: Census's connection test run locally with the Census key, plus the IAM checks only
 * an administrator can make. Never prints: progress goes to `onProgress`, the findings come back as a
 * report, and only bad input throws.
 */
import { openAdminSession } from "./adminAccess.js";
import { bucketChecksSkipped, checkBucket } from "./bucketChecks.js";
import { checkIdentity, resolveKey } from "./identityCheck.js";
import { scopeOf, type VerifyInput, type VerifyOptions } from "./input.js";
import { keyActiveCheck, lookUpKeyState } from "./keyState.js";
import { checkPinpointProject, pinpointCheckSkipped } from "./pinpointCheck.js";
import { checkPolicies } from "./policyChecks.js";
import { freshnessOf } from "./propagation.js";
import { reportOf, type VerifyCheck, type VerifyReport } from "./report.js";
import { createRetryBudget, DEFAULT_MAX_WAIT_MS, realSleep } from "./retry.js";
import { checkImporterRole } from "./roleChecks.js";

export type { VerifyInput, VerifyOptions } from "./input.js";
export { verifyInputFromValues } from "./input.js";
export type { VerifyCheck, VerifyCheckId, VerifyReport } from "./report.js";

function parseDate(text: string | undefined): Date | undefined {
  const time = text === undefined ? NaN : Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time);
}

export async function verifyStaging(input: VerifyInput, options: VerifyOptions): Promise<VerifyReport> {
  const { onProgress } = options;
  const scope = scopeOf(input, options.env, new Date());
  const budget = createRetryBudget({ maxWaitMs: options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS, sleep: options.sleep ?? realSleep, onProgress });

  onProgress({ kind: "step", message: "Reading the access key and its status in IAM" });
  const [key, session] = await Promise.all([resolveKey(scope), openAdminSession(scope)]);
  const accessKeyId = key.ok ? key.accessKeyId : undefined;
  const state = await lookUpKeyState(session, accessKeyId);
  const freshness = freshnessOf({
    keyCreatedAt: (state.known && state.status !== "absent" ? state.createdAt : undefined) ?? parseDate(input.keyCreatedAt),
    keyStatus: state.known ? state.status : undefined,
    recentlyChanged: input.recentlyChanged,
    now: new Date(),
  });

  onProgress({ kind: "step", message: "Calling AWS with the Census key" });
  const identity = await checkIdentity(scope, key, state, freshness, budget);
  const keyChecks: VerifyCheck[] = [];
  if (key.ok && identity.works) {
    onProgress({ kind: "step", message: `Writing, reading, listing and deleting a test file in s3://${input.bucketName}` });
    keyChecks.push(...(await checkBucket(scope, key.target, freshness, budget)));
    onProgress({ kind: "step", message: `Reading Pinpoint project ${input.projectId}` });
    keyChecks.push(await checkPinpointProject(scope, key.target, freshness, budget));
  } else {
    const reason = "not run: the access key does not work";
    keyChecks.push(...bucketChecksSkipped(scope, reason), pinpointCheckSkipped(scope, reason));
  }

  onProgress({ kind: "step", message: "Checking the Census user's permissions and the importer role with your credentials" });
  const [policies, role] = await Promise.all([
    checkPolicies(scope, session, identity.userArn ?? input.censusUserArn),
    checkImporterRole(scope, session),
  ]);
  return reportOf([identity.check, keyActiveCheck(state, accessKeyId, scope, identity.works), ...keyChecks, ...policies, ...role]);
}
