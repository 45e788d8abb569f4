/**
 * Whether one resource exists in this account, looked up by the ID the AWS provider gives it (a
 * bucket or IAM name, a policy ARN): for the cases where the stack's state cannot say.
 */
import { GetGroupCommand, GetPolicyCommand, GetRoleCommand, GetUserCommand, IAMClient } from "@aws-sdk/client-iam";
import type { AwsTarget } from "./target.js";
import { iamFailureToCliError, isNoSuchEntity } from "./awsErrors.js";
import { bucketAvailability } from "./bucket.js";
import { awsClientConfig } from "./clients.js";
import { NAMED_TYPES, type NamedType } from "./namedTypes.js";

const IAM_LOOKUPS: Record<Exclude<NamedType, "aws:s3/bucket:Bucket">, { operation: string; command: (id: string) => object }> = {
  "aws:iam/role:Role": { operation: "GetRole", command: (RoleName) => new GetRoleCommand({ RoleName }) },
  "aws:iam/user:User": { operation: "GetUser", command: (UserName) => new GetUserCommand({ UserName }) },
  "aws:iam/group:Group": { operation: "GetGroup", command: (GroupName) => new GetGroupCommand({ GroupName }) },
  "aws:iam/policy:Policy": { operation: "GetPolicy", command: (PolicyArn) => new GetPolicyCommand({ PolicyArn }) },
};

/** One IAM call; undefined when IAM has no such entity. */
async function iamLookup<T>(target: AwsTarget, operation: string, command: object): Promise<T | undefined> {
  const iam = new IAMClient(awsClientConfig(target, "IAM"));
  try {
    return (await iam.send(command as never)) as T;
  } catch (error) {
    if (isNoSuchEntity(error)) return undefined;
    throw iamFailureToCliError(error, target, operation);
  } finally {
    iam.destroy();
  }
}

/** True when it exists in the caller's account; a bucket of another account is not "ours" and counts as absent. */
export async function existsInAccount(target: AwsTarget, type: NamedType, id: string): Promise<boolean> {
  if (type === NAMED_TYPES.bucket) return (await bucketAvailability(target, id)).status === "yours";
  const { operation, command } = IAM_LOOKUPS[type];
  return (await iamLookup(target, operation, command(id))) !== undefined;
}

