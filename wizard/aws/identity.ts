/** Who the CLI is acting as: the first AWS call of every command, so credential problems surface here. */
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsTarget } from "../setupInputs.js";
import { toCliError } from "./awsErrors.js";
import { awsClientConfig } from "./clients.js";

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
    throw toCliError(error, { target, service: "STS", operation: "GetCallerIdentity", permission: "sts:GetCallerIdentity" });
  } finally {
    client.destroy();
  }
}
