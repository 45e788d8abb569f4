/**
 * Which access key credentials are made of, read from the profile files or the environment without
 * calling AWS with them: a call would mark the key as just used, and for a key about to be retired
 * its last use is exactly what the user must see.
 */
import { STSClient } from "@aws-sdk/client-sts";
import type { AwsTarget } from "./target.js";
import { missingProfileError, awsFailureToCliError } from "./awsErrors.js";
import { awsClientConfig } from "./clients.js";
import { missingProfile, readAwsProfiles } from "./configuredRegion.js";

export type Credentials = NonNullable<AwsTarget["credentials"]>;

/**
 * The credentials of `target`: given outright, a named profile read from the profile files alone
 * (clients.ts says why), else the default chain. Throws MissingProfileError when the profile, or a
 * source_profile it needs, is in neither file; else AwsCredentialsError with what the SDK said.
 */
export async function resolveCredentials(target: AwsTarget): Promise<Credentials> {
  if (target.credentials) return { ...target.credentials };
  const client = new STSClient(awsClientConfig(target, "STS"));
  try {
    const { accessKeyId, secretAccessKey, sessionToken } = await client.config.credentials();
    return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  } catch (error) {
    if (target.profile) {
      const files = await readAwsProfiles(target.env);
      const missing = missingProfile(files, target.profile);
      if (missing) throw missingProfileError(files, target.profile, missing);
    }
    throw awsFailureToCliError(error, { target, service: "STS", operation: "credential lookup", permission: "sts:GetCallerIdentity" });
  } finally {
    client.destroy();
  }
}

/** The access key ID of `target`'s credentials. */
export async function credentialsAccessKeyId(target: AwsTarget): Promise<string> {
  return (await resolveCredentials(target)).accessKeyId;
}
