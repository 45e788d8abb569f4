/**
 * Who holds a name setup wants: nobody, this account (and then, from its tags, whether a
 * census-pinpoint stack made it and for which Pinpoint project), or, for a bucket, another account.
 * Read-only; a lookup AWS refuses is an AwsCredentialsError (exit 3).
 */
import { GetBucketTaggingCommand, S3Client } from "@aws-sdk/client-s3";
import { IAMClient, ListPolicyTagsCommand, ListRoleTagsCommand, ListUserTagsCommand } from "@aws-sdk/client-iam";
import { MANAGED_BY_TAG } from "../../infra/names.js";
import type { AwsTarget } from "./target.js";
import { awsFailureToCliError } from "./awsErrors.js";
import { bucketAvailability } from "./bucket.js";
import { awsClientConfig } from "./clients.js";
import { existsInAccount } from "./existence.js";
import { NAMED_TYPES, type NamedType } from "./namedTypes.js";

export type NameHolder =
  | { held: false }
  | { held: true; by: "another-account" }
  /** `projectId`: the Pinpoint project a census-pinpoint stack made it for, when its tags say so. */
  | { held: true; by: "this-account"; projectId?: string };

type Tag = { Key?: string; Value?: string };

function censusPinpointProject(tags: Tag[] | undefined): string | undefined {
  const value = (key: string) => tags?.find((tag) => tag.Key === key)?.Value;
  return value("managed-by") === MANAGED_BY_TAG["managed-by"] ? value("pinpoint-project") : undefined;
}

async function bucketTags(target: AwsTarget, bucket: string, region: string | undefined): Promise<Tag[] | undefined> {
  const s3 = new S3Client(awsClientConfig({ ...target, region: region ?? target.region }, "S3"));
  try {
    return (await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet;
  } catch (error) {
    if ((error as { name?: string }).name === "NoSuchTagSet") return undefined;
    throw awsFailureToCliError(error, { target, service: "S3", operation: "GetBucketTagging", permission: "s3:GetBucketTagging" });
  } finally {
    s3.destroy();
  }
}

const TAG_LOOKUPS: Partial<Record<NamedType, { operation: string; command: (id: string) => object }>> = {
  "aws:iam/role:Role": { operation: "ListRoleTags", command: (RoleName) => new ListRoleTagsCommand({ RoleName }) },
  "aws:iam/user:User": { operation: "ListUserTags", command: (UserName) => new ListUserTagsCommand({ UserName }) },
  "aws:iam/policy:Policy": { operation: "ListPolicyTags", command: (PolicyArn) => new ListPolicyTagsCommand({ PolicyArn }) },
};

/** IAM groups take no tags: who made one cannot be read from it. */
async function iamTags(target: AwsTarget, type: NamedType, id: string): Promise<Tag[] | undefined> {
  const lookup = TAG_LOOKUPS[type];
  if (!lookup) return undefined;
  const iam = new IAMClient(awsClientConfig(target, "IAM"));
  try {
    return ((await iam.send(lookup.command(id) as never)) as { Tags?: Tag[] }).Tags;
  } catch (error) {
    throw awsFailureToCliError(error, { target, service: "IAM", operation: lookup.operation, permission: `iam:${lookup.operation}` });
  } finally {
    iam.destroy();
  }
}

export async function nameHolder(target: AwsTarget, type: NamedType, id: string): Promise<NameHolder> {
  if (type === NAMED_TYPES.bucket) {
    const bucket = await bucketAvailability(target, id);
    if (bucket.status === "free") return { held: false };
    if (bucket.status === "taken") return { held: true, by: "another-account" };
    return { held: true, by: "this-account", projectId: censusPinpointProject(await bucketTags(target, id, bucket.region)) };
  }
  if (!(await existsInAccount(target, type, id))) return { held: false };
  return { held: true, by: "this-account", projectId: censusPinpointProject(await iamTags(target, type, id)) };
}
