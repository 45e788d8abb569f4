/**
 * Who the CLI is acting as: the first AWS call of every command, so credential problems surface here;
 * and verify's first call with the Census key, doctor's with the user's credentials. The one
 * GetCallerIdentity of the CLI.
 */
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsTarget } from "./target.js";
import { CliError } from "../errors.js";
import { classifyAwsError, missingProfileError, awsFailureToCliError } from "./awsErrors.js";
import { awsClientConfig, configuredEndpoint } from "./clients.js";
import { resolveCredentials } from "./credentialKey.js";
import { missingProfile, readAwsProfiles } from "./configuredRegion.js";

export interface CallerIdentity {
  accountId: string;
  arn: string;
  userId: string;
}

/**
 * Throws AwsCredentialsError (no, expired or invalid credentials) or AwsRequestError (unreachable);
 * classifyAwsError tells what AWS said behind either. `signal` abandons the request (a lookup nobody
 * waits for any more must not keep the process alive).
 */
export async function getCallerIdentity(target: AwsTarget, options: { signal?: AbortSignal } = {}): Promise<CallerIdentity> {
  const client = new STSClient(awsClientConfig(target, "STS"));
  try {
    const { Account, Arn, UserId } = await client.send(new GetCallerIdentityCommand({}), { abortSignal: options.signal });
    if (!Account || !Arn || !UserId) {
      throw new Error(`GetCallerIdentity answered without ${!Account ? "an account" : !Arn ? "an ARN" : "a user ID"}`);
    }
    return { accountId: Account, arn: Arn, userId: UserId };
  } catch (error) {
    const cause = await credentialsCause(error, target);
    const failure = awsFailureToCliError(cause.error, { target: cause.target, service: "STS", operation: "GetCallerIdentity", permission: "sts:GetCallerIdentity" });
    if (sameInEveryRegion(cause.error, cause.target)) REGION_INDEPENDENT.add(failure);
    throw failure;
  } finally {
    client.destroy();
  }
}

const REGION_INDEPENDENT = new WeakSet<Error>();

/**
 * True for a getCallerIdentity failure that a lookup in any other region would meet too, so it may be
 * reported before the user has chosen the region: no credentials could be loaded (none configured, a
 * profile that does not exist, an expired SSO session), STS said the token is expired (only the
 * partition that issued it says so), or the endpoint AWS_ENDPOINT_URL(_STS) names, the same for every
 * region, did not answer. Other answers may depend on the region: a GovCloud key is rejected by the
 * STS of the commercial partition, and a firewall may pass one region's endpoint and not another's.
 */
export function failsInEveryRegion(error: unknown): boolean {
  return error instanceof Error && REGION_INDEPENDENT.has(error);
}

function sameInEveryRegion(error: unknown, target: AwsTarget): boolean {
  if (error instanceof CliError) return true; // a profile the files do not have (credentialsCause)
  const failure = classifyAwsError(error, target);
  switch (failure.kind) {
    case "no-credentials":
      return true;
    case "rejected-credentials":
      return failure.code === "ExpiredToken" || failure.code === "ExpiredTokenException";
    case "network":
      return configuredEndpoint("STS", target.env) !== undefined;
    default:
      return false;
  }
}

/**
 * When no credentials loaded, what the profile files say about why: a profile (or a source_profile it
 * needs) that does not exist, or the default profile's own failure, which the default chain hides.
 */
async function credentialsCause(error: unknown, target: AwsTarget): Promise<{ error: unknown; target: AwsTarget }> {
  if (target.credentials || classifyAwsError(error, target).kind !== "no-credentials") return { error, target };
  const files = await readAwsProfiles(target.env);
  const hasDefault = files.config.has("default") || files.credentials.has("default");
  const profile = target.profile ?? (hasDefault ? "default" : undefined);
  if (profile === undefined) return { error, target };
  const missing = missingProfile(files, profile);
  if (missing) return { error: missingProfileError(files, profile, missing), target };
  if (target.profile) return { error, target };
  // No profile named: the default chain tried the default profile among others and kept none of their
  // reasons; that profile alone gives its own.
  const ofProfile = { ...target, profile };
  try {
    await resolveCredentials(ofProfile);
    return { error, target };
  } catch (failure) {
    return { error: failure, target: ofProfile };
  }
}
