/** Who the CLI is acting as: the first AWS call of every command, so credential problems surface here. */
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsTarget } from "../setupInputs.js";
import { classifyAwsError, missingProfileError, toCliError } from "./awsErrors.js";
import { awsClientConfig } from "./clients.js";
import { missingProfile, readAwsProfiles } from "./configuredRegion.js";

export interface CallerIdentity {
  accountId: string;
  arn: string;
  userId: string;
}

/** Throws AwsCredentialsError (no, expired or invalid credentials) or AwsRequestError (unreachable). */
export async function getCallerIdentity(target: AwsTarget): Promise<CallerIdentity> {
  const client = new STSClient(awsClientConfig(target, "STS"));
  try {
    const { Account, Arn, UserId } = await client.send(new GetCallerIdentityCommand({}));
    if (!Account || !Arn || !UserId) {
      throw new Error(`GetCallerIdentity answered without ${!Account ? "an account" : !Arn ? "an ARN" : "a user ID"}`);
    }
    return { accountId: Account, arn: Arn, userId: UserId };
  } catch (error) {
    const cause = await credentialsCause(error, target);
    throw toCliError(cause.error, { target: cause.target, service: "STS", operation: "GetCallerIdentity", permission: "sts:GetCallerIdentity" });
  } finally {
    client.destroy();
  }
}

/**
 * When no credentials loaded, what the profile files say about why: a profile (or a source_profile it
 * needs) that does not exist, or the default profile's own failure, which the default chain hides.
 * The files are those the SDK reads, so process.env rather than a command's env.
 */
async function credentialsCause(error: unknown, target: AwsTarget): Promise<{ error: unknown; target: AwsTarget }> {
  if (target.credentials || classifyAwsError(error, target).kind !== "no-credentials") return { error, target };
  const files = await readAwsProfiles(process.env);
  const hasDefault = files.config.has("default") || files.credentials.has("default");
  const profile = target.profile ?? (hasDefault ? "default" : undefined);
  if (profile === undefined) return { error, target };
  const missing = missingProfile(files, profile);
  if (missing) return { error: missingProfileError(files, profile, missing), target };
  if (target.profile) return { error, target };
  // No profile named: the default chain tried the default profile among others and kept none of their
  // reasons; that profile alone gives its own.
  const client = profileClient(target, profile);
  try {
    await client.config.credentials();
    return { error, target };
  } catch (failure) {
    return { error: failure, target: { ...target, profile } };
  } finally {
    client.destroy();
  }
}

/** An STS client whose credentials come from `profile` in the profile files alone (clients.ts says why). */
export function profileClient(target: AwsTarget, profile: string, env: NodeJS.ProcessEnv = process.env): STSClient {
  return new STSClient(awsClientConfig({ ...target, profile, credentials: undefined }, "STS", env));
}
