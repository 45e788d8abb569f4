/**
 * The first thing Census's connection test does: call AWS with the key. Here that is STS
 * GetCallerIdentity, which also says whose key it is, so a root key, temporary credentials or another
 * user's key are caught too.
 */
import { classifyAwsError, MissingProfileError } from "../aws/awsErrors.js";
import { resolveCredentials } from "../aws/credentialKey.js";
import { getCallerIdentity } from "../aws/identity.js";
import type { AwsTarget } from "../aws/target.js";
import { keyProfileOf, type VerifyScope } from "./input.js";
import type { KeyState } from "./keyState.js";
import { propagationCause, type KeyFreshness } from "./propagation.js";
import { checkOf, type VerifyCheck } from "./report.js";
import { retryWhileTransient, type RetryBudget } from "./retry.js";

/** The key as explicit credentials (read from its profile when it came as one), or why it could not be read. */
export type ResolvedKey = { ok: true; target: AwsTarget; accessKeyId: string } | { ok: false; target: AwsTarget; error: unknown };

export async function resolveKey(scope: VerifyScope): Promise<ResolvedKey> {
  const { key, region } = scope.input;
  const { env } = scope;
  if ("credentials" in key) return { ok: true, target: { region, credentials: key.credentials, env }, accessKeyId: key.credentials.accessKeyId };
  // The key must be the one in that profile, never the machine's role standing in for it; and the
  // environment's AWS_ACCESS_KEY_ID, the administrator's if anyone's, must not draw the SDK's warning.
  const target: AwsTarget = { region, profile: key.profile, env };
  try {
    // Resolved once, so every later call (and the redaction of error messages) uses the same key.
    const credentials = await resolveCredentials(target);
    return { ok: true, target: { region, credentials, env }, accessKeyId: credentials.accessKeyId };
  } catch (error) {
    return { ok: false, target, error };
  }
}

export interface IdentityResult {
  check: VerifyCheck;
  /** AWS accepted the key: the S3 and Pinpoint checks can tell something. */
  works: boolean;
  /** The IAM user the key belongs to, when it is one. */
  userArn?: string;
}

type Principal = { kind: "user"; accountId: string } | { kind: "root" } | { kind: "temporary" } | { kind: "other" };

function principalOf(arn: string): Principal {
  const match = /^arn:[\w-]+:(iam|sts)::(\d{12}):(.*)$/.exec(arn);
  if (!match) return { kind: "other" };
  const [, service, accountId, resource] = match;
  if (resource === "root") return { kind: "root" };
  if (service === "iam" && resource!.startsWith("user/")) return { kind: "user", accountId: accountId! };
  if (resource!.startsWith("assumed-role/") || resource!.startsWith("federated-user/")) return { kind: "temporary" };
  return { kind: "other" };
}

function rejectedFix(scope: VerifyScope, code: string): string {
  const profile = keyProfileOf(scope);
  if (code === "SignatureDoesNotMatch") {
    return profile === undefined
      ? "The secret key does not belong to this access key ID. Run `census-pinpoint rotate-key` for a fresh pair and paste both into Census."
      : `The secret key does not belong to this access key ID: store both halves of the same key in AWS profile "${profile}" (aws configure --profile ${profile}).`;
  }
  return profile === undefined
    ? "Run `census-pinpoint rotate-key` to give Census a new key, or check the key in IAM (Users → the Census user → Security credentials): it may be deactivated or deleted."
    : `Check the key in AWS profile "${profile}" against IAM (Users → the Census user → Security credentials): it may be mistyped, deactivated or deleted. Create a new key for the Census user if needed.`;
}

function keyStateNote(state: KeyState): string {
  if (!state.known) return "";
  if (state.status === "inactive") return ": IAM lists the key as Inactive";
  if (state.status === "absent") return ": IAM has no such key in the account (deleted?)";
  return "";
}

export async function checkIdentity(
  scope: VerifyScope,
  key: ResolvedKey,
  state: KeyState,
  freshness: KeyFreshness,
  budget: RetryBudget,
): Promise<IdentityResult> {
  const check = checkOf("key-identity", "AWS accepts the access key and it belongs to the Census IAM user (STS GetCallerIdentity)");
  if (!key.ok) {
    const profile = key.target.profile ?? "";
    return {
      works: false,
      check: check.failed(
        `No usable access key in AWS profile "${profile}": ${key.error instanceof MissingProfileError ? `it ${key.error.problem}` : classifyAwsError(key.error, key.target).detail}`,
        `Store the Census user's access key in it: aws configure --profile ${profile} (or pass the profile that holds it with --key-profile).`,
      ),
    };
  }
  let arn: string;
  let accountId: string;
  try {
    ({ arn, accountId } = await retryWhileTransient(
      budget,
      () => getCallerIdentity(key.target),
      (error) => propagationCause(error, key.target, freshness),
    ));
  } catch (error) {
    const failure = classifyAwsError(error, key.target);
    const waited = budget.waited() > 0 ? `, still after waiting ${Math.round(budget.waited() / 1000)} s` : "";
    switch (failure.kind) {
      case "rejected-credentials":
        return {
          works: false,
          check: check.failed(`AWS rejects access key ${key.accessKeyId} (${failure.code})${keyStateNote(state)}${waited}`, rejectedFix(scope, failure.code)),
        };
      case "network":
        return {
          works: false,
          check: check.failed(
            `Could not reach AWS STS: ${failure.detail}`,
            "Check the network connection, proxy and firewall; if AWS_ENDPOINT_URL is set, check that it points at a running endpoint.",
          ),
        };
      default:
        return { works: false, check: check.failed(`STS GetCallerIdentity failed: ${failure.detail}`, "Run `census-pinpoint verify` again; if it keeps failing, run it with --verbose.") };
    }
  }

  const principal = principalOf(arn);
  const expected = scope.input.censusUserArn;
  if (principal.kind === "root") {
    return {
      works: true,
      check: check.failed(
        `${arn} is the account's root user`,
        "Never give Census a root key: delete it (IAM → Security credentials) and use the key of a user with only the permissions Census needs (what `census-pinpoint setup` creates; see docs/permissions.md).",
      ),
    };
  }
  if (principal.kind !== "user") {
    return {
      works: true,
      check: check.failed(
        `${arn} is not an IAM user: these are temporary (or non-user) credentials, which stop working when they expire`,
        "Census stores a long-lived access key of an IAM user: use the Census user's key (what `census-pinpoint setup` creates).",
      ),
    };
  }
  if (expected !== undefined && arn !== expected) {
    return {
      works: true,
      userArn: arn,
      check: check.failed(
        `The key belongs to ${arn}, not to the stack's Census user ${expected}`,
        "Give Census the stack's key (`census-pinpoint credentials --show-secret`), or run `census-pinpoint setup` again if the stack's outputs are out of date.",
      ),
    };
  }
  if (accountId !== scope.accountId) {
    return {
      works: true,
      userArn: arn,
      check: check.failed(
        `The key is from AWS account ${accountId}, the importer role from ${scope.accountId}`,
        "The key, the bucket, the importer role and the Pinpoint project must be in one account: check the --role-arn and the key's profile.",
      ),
    };
  }
  return { works: true, userArn: arn, check: check.passed(arn) };
}
