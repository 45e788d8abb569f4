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

/** The access key ID of `target`'s credentials (a named profile, else the default chain). */
export async function credentialsAccessKeyId(target: AwsTarget, env: NodeJS.ProcessEnv): Promise<string> {
  const client = new STSClient(awsClientConfig(target, "STS", env));
  try {
    return (await client.config.credentials()).accessKeyId;
  } catch (error) {
    if (target.profile) {
      // The files the SDK read: it takes their paths from process.env.
      const files = await readAwsProfiles(process.env);
      const missing = missingProfile(files, target.profile);
      if (missing) throw missingProfileError(files, target.profile, missing);
    }
    throw awsFailureToCliError(error, { target, service: "STS", operation: "credential lookup", permission: "sts:GetCallerIdentity", env });
  } finally {
    client.destroy();
  }
}
