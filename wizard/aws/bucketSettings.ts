/**
 * The security settings of a bucket, as S3 answers for each: set, not configured, or not shown to
 * these credentials. Read-only. A setting that was never configured is an error code of its own in S3
 * (NoSuchBucketPolicy and the like), which is decoded here once; a refusal is kept per setting, so one
 * missing s3:Get… permission does not hide the rest. Credentials that do not work at all throw
 * (AwsCredentialsError, exit 3), as every other AWS call of the CLI does.
 */
import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  S3Client,
  type LifecycleRule,
  type PublicAccessBlockConfiguration,
  type ServerSideEncryptionRule,
} from "@aws-sdk/client-s3";
import type { AwsTarget } from "./target.js";

export type { LifecycleRule, PublicAccessBlockConfiguration, ServerSideEncryptionRule };
import { classifyAwsError, awsFailureToCliError } from "./awsErrors.js";
import { awsClientConfig } from "./clients.js";

/** `value` undefined: the bucket has no such configuration. */
export type SettingRead<T> = { read: true; value: T | undefined } | { read: false; operation: string; permission: string; detail: string };

export interface BucketSettings {
  publicAccessBlock: SettingRead<PublicAccessBlockConfiguration>;
  /** The ObjectOwnership of its ownership controls. */
  objectOwnership: SettingRead<string>;
  encryption: SettingRead<ServerSideEncryptionRule[]>;
  /** The bucket policy's JSON as S3 returns it. */
  policy: SettingRead<string>;
  lifecycleRules: SettingRead<LifecycleRule[]>;
}

interface Reading<T> {
  operation: string;
  permission: string;
  /** The error code S3 answers when the bucket has no such configuration. */
  absent: string;
  send: (client: S3Client) => Promise<T | undefined>;
}

async function readSetting<T>(client: S3Client, target: AwsTarget, reading: Reading<T>): Promise<SettingRead<T>> {
  const { operation, permission } = reading;
  try {
    return { read: true, value: await reading.send(client) };
  } catch (error) {
    const code = (error as { name?: string; Code?: string }).Code ?? (error as { name?: string }).name;
    if (code === reading.absent) return { read: true, value: undefined };
    const failure = classifyAwsError(error, target);
    if (failure.kind === "access-denied") return { read: false, operation, permission, detail: failure.detail };
    throw awsFailureToCliError(error, { target, service: "S3", operation, permission });
  }
}

/** `target.region` must be the bucket's: S3 redirects a request signed for another region. */
export async function readBucketSettings(target: AwsTarget, bucketName: string): Promise<BucketSettings> {
  const client = new S3Client(awsClientConfig(target, "S3"));
  const Bucket = bucketName;
  try {
    const [publicAccessBlock, objectOwnership, encryption, policy, lifecycleRules] = await Promise.all([
      readSetting(client, target, {
        operation: "GetPublicAccessBlock",
        permission: "s3:GetBucketPublicAccessBlock",
        absent: "NoSuchPublicAccessBlockConfiguration",
        send: async (s3) => (await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration,
      }),
      readSetting(client, target, {
        operation: "GetBucketOwnershipControls",
        permission: "s3:GetBucketOwnershipControls",
        absent: "OwnershipControlsNotFoundError",
        send: async (s3) => (await s3.send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls?.Rules?.[0]?.ObjectOwnership,
      }),
      readSetting(client, target, {
        operation: "GetBucketEncryption",
        permission: "s3:GetEncryptionConfiguration",
        absent: "ServerSideEncryptionConfigurationNotFoundError",
        send: async (s3) => (await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration?.Rules,
      }),
      readSetting(client, target, {
        operation: "GetBucketPolicy",
        permission: "s3:GetBucketPolicy",
        absent: "NoSuchBucketPolicy",
        send: async (s3) => (await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy,
      }),
      readSetting(client, target, {
        operation: "GetBucketLifecycleConfiguration",
        permission: "s3:GetLifecycleConfiguration",
        absent: "NoSuchLifecycleConfiguration",
        send: async (s3) => (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))).Rules,
      }),
    ]);
    return { publicAccessBlock, objectOwnership, encryption, policy, lifecycleRules };
  } finally {
    client.destroy();
  }
}

/** Whether a lifecycle rule's filter selects every object of the bucket (no prefix, tag or size condition). */
export function coversEveryObject(rule: LifecycleRule): boolean {
  const filter = rule.Filter;
  const prefix = filter?.Prefix ?? rule.Prefix ?? "";
  return prefix === "" && filter?.Tag === undefined && filter?.And === undefined && filter?.ObjectSizeGreaterThan === undefined && filter?.ObjectSizeLessThan === undefined;
}
