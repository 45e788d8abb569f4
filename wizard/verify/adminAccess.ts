/**
 * The administrator's side of verify: IAM calls made with the user's own credentials (--profile), not
 * the Census key. They add detail but are optional: when those credentials are missing, lack a
 * permission, or the endpoint does not implement a call, the checks are skipped with the reason.
 */
import { classifyAwsError } from "../aws/awsErrors.js";
import { getCallerIdentity } from "../aws/identity.js";
import type { AwsTarget } from "../aws/target.js";
import type { VerifyScope } from "./input.js";

export type AdminSession = { ok: true; target: AwsTarget } | { ok: false; reason: string };

function whose(admin: AwsTarget): string {
  return admin.profile ? `the credentials of AWS profile "${admin.profile}"` : "your default AWS credentials";
}

/** Why an administrator's call gave no verdict, as the detail of a skipped check. */
export function adminSkipReason(error: unknown, admin: AwsTarget, operation: string, permission: string): string {
  const failure = classifyAwsError(error, admin);
  switch (failure.kind) {
    case "no-credentials":
      return "no administrator credentials to check with (pass --profile or set AWS_PROFILE)";
    case "rejected-credentials":
      return `AWS rejected ${whose(admin)} (${failure.code})`;
    case "access-denied":
      return `${whose(admin)} may not call ${permission}`;
    case "network":
      return `could not reach AWS for ${operation}: ${failure.detail}`;
    case "other": {
      const tags = [failure.code, failure.status === undefined ? undefined : `HTTP ${failure.status}`].filter(Boolean).join(", ");
      const unimplemented = failure.code === "NotImplemented" || (failure.status !== undefined && failure.status >= 500);
      return unimplemented
        ? `the endpoint did not answer ${operation} (${tags}); emulators such as moto do not implement it`
        : `${operation} failed: ${failure.detail}${tags ? ` (${tags})` : ""}`;
    }
  }
}

/**
 * Whether the administrator's credentials work and belong to the setup's account: IAM answers about
 * users and roles of the caller's account only.
 */
export async function openAdminSession(scope: VerifyScope): Promise<AdminSession> {
  try {
    const { accountId } = await getCallerIdentity(scope.admin);
    if (accountId !== scope.accountId) {
      return { ok: false, reason: `${whose(scope.admin)} are for AWS account ${accountId}, and the setup is in ${scope.accountId} (pass --profile for that account)` };
    }
    return { ok: true, target: scope.admin };
  } catch (error) {
    return { ok: false, reason: adminSkipReason(error, scope.admin, "GetCallerIdentity", "sts:GetCallerIdentity") };
  }
}
