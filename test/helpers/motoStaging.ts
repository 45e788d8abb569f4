/**
 * A census-pinpoint setup built by hand in moto, resource by resource, from the same policy builders
 * the stack uses: what `verify` checks. No TLS-only bucket policy: moto applies a Deny without
 * evaluating its condition, so it would refuse every object request.
 */
import {
  AddUserToGroupCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from "@aws-sdk/client-iam";
import { CreateAppCommand, PinpointClient } from "@aws-sdk/client-pinpoint";
import { CreateBucketCommand, ListObjectsV2Command, S3Client, type BucketLocationConstraint } from "@aws-sdk/client-s3";
import { censusAccessPolicy, iamRoleArn, importerRolePolicy } from "../../infra/policies.js";
import { importerTrustPolicy } from "../../infra/trustPolicy.js";
import type { PinpointRegion } from "../../infra/regions.js";
import { DUMMY_CREDENTIALS, MOTO_ACCOUNT_ID } from "./moto.js";

export interface MotoStaging {
  region: PinpointRegion;
  projectId: string;
  bucketName: string;
  importerRoleArn: string;
  censusUserName: string;
  censusUserArn: string;
  key: { accessKeyId: string; secretAccessKey: string };
  keyCreatedAt: string;
}

/** Calls made as moto's default identity, which owns everything (IAM enforcement must be off). */
const owner = (region: string) => ({ region, credentials: DUMMY_CREDENTIALS });

async function withClient<C extends { destroy(): void }, T>(client: C, use: (client: C) => Promise<T>): Promise<T> {
  try {
    return await use(client);
  } finally {
    client.destroy();
  }
}

export async function createBucket(region: string, bucketName: string): Promise<void> {
  await withClient(new S3Client({ ...owner(region), forcePathStyle: true }), (s3) =>
    s3.send(
      new CreateBucketCommand({
        Bucket: bucketName,
        ...(region === "us-east-1" ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
      }),
    ),
  );
}

export async function createMotoStaging(region: PinpointRegion, options: { bucketRegion?: string } = {}): Promise<MotoStaging> {
  const bucketName = `census-pinpoint-staging-${MOTO_ACCOUNT_ID}-${region}`;
  const censusUserName = "census-pinpoint-verify";
  const roleName = "CensusPinpointSegmentImporter-verify";
  const importerRoleArn = iamRoleArn("aws", MOTO_ACCOUNT_ID, roleName);

  const projectId = await withClient(new PinpointClient(owner(region)), async (pinpoint) => {
    const { ApplicationResponse } = await pinpoint.send(new CreateAppCommand({ CreateApplicationRequest: { Name: "Marketing" } }));
    return ApplicationResponse!.Id!;
  });
  await createBucket(options.bucketRegion ?? region, bucketName);

  const project = { partition: "aws" as const, region, accountId: MOTO_ACCOUNT_ID, projectId };
  return withClient(new IAMClient(owner(region)), async (iam) => {
    await iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: JSON.stringify(importerTrustPolicy(project)) }));
    await iam.send(
      new PutRolePolicyCommand({ RoleName: roleName, PolicyName: `${roleName}-s3-read`, PolicyDocument: JSON.stringify(importerRolePolicy({ partition: "aws", region, bucketName })) }),
    );
    const { User } = await iam.send(new CreateUserCommand({ UserName: censusUserName }));
    await iam.send(new CreateGroupCommand({ GroupName: `${censusUserName}-group` }));
    await iam.send(
      new PutGroupPolicyCommand({
        GroupName: `${censusUserName}-group`,
        PolicyName: `${censusUserName}-access`,
        PolicyDocument: JSON.stringify(censusAccessPolicy({ ...project, bucketName, importerRoleArn })),
      }),
    );
    await iam.send(new AddUserToGroupCommand({ GroupName: `${censusUserName}-group`, UserName: censusUserName }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: censusUserName }));
    return {
      region,
      projectId,
      bucketName,
      importerRoleArn,
      censusUserName,
      censusUserArn: User!.Arn!,
      key: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
      keyCreatedAt: AccessKey!.CreateDate!.toISOString(),
    };
  });
}

/**
 * An IAM user allowed everything, whose key the tests use as the administrator's: with moto's IAM
 * enforcement on, only keys of moto's own users work.
 */
export async function createMotoAdmin(region: string): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  return withClient(new IAMClient(owner(region)), async (iam) => {
    await iam.send(new CreateUserCommand({ UserName: "administrator" }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: "administrator",
        PolicyName: "everything",
        PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }),
      }),
    );
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "administrator" }));
    return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
  });
}

/** Every object key in the bucket, to show that verify left nothing behind. */
export async function objectKeys(region: string, bucketName: string): Promise<string[]> {
  return withClient(new S3Client({ ...owner(region), forcePathStyle: true }), async (s3) => {
    const { Contents } = await s3.send(new ListObjectsV2Command({ Bucket: bucketName }));
    return (Contents ?? []).map((object) => object.Key!);
  });
}

/** The outputs a stack of this setup would have, for a fake backend to serve. */
export function stagingStackOutputs(staging: MotoStaging): Record<string, string> {
  return {
    accessKeyId: staging.key.accessKeyId,
    secretAccessKey: staging.key.secretAccessKey,
    pinpointProjectId: staging.projectId,
    stagingBucketName: staging.bucketName,
    importerRoleArn: staging.importerRoleArn,
    awsRegion: staging.region,
    stagingBucketArn: `arn:aws:s3:::${staging.bucketName}`,
    censusUserArn: staging.censusUserArn,
    censusUserName: staging.censusUserName,
    accessKeyCreatedAt: staging.keyCreatedAt,
  };
}
