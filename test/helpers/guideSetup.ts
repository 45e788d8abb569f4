/**
 * A setup made by hand the way Census's guide says, built in moto: what `audit`, `adopt` and `retire`
 * meet in the field. The bucket has no lifecycle rule and no bucket policy; the importer role trusts
 * Amazon Pinpoint with no condition and holds the AWS managed AmazonS3ReadOnlyAccess; the key Census
 * holds belongs to a person's user, who also signs in to the console, has a key of their own, an
 * inline policy and AmazonS3FullAccess attached directly.
 *
 * moto must run with MOTO_IAM_LOAD_MANAGED_POLICIES=true (`useMoto({ env: GUIDE_MOTO_ENV })`), or
 * attaching the AWS managed policies fails with NoSuchEntity.
 */
import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from "@aws-sdk/client-iam";
import { CreateBucketCommand, S3Client, type BucketLocationConstraint } from "@aws-sdk/client-s3";
import { DUMMY_CREDENTIALS, MOTO_ACCOUNT_ID } from "./moto.js";

/** The moto server environment the guide's setup needs. */
export const GUIDE_MOTO_ENV = { MOTO_IAM_LOAD_MANAGED_POLICIES: "true" } as const;

export const S3_READ_ONLY_ARN = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";
export const S3_FULL_ACCESS_ARN = "arn:aws:iam::aws:policy/AmazonS3FullAccess";

/** The trust policy the guide gives: Amazon Pinpoint, no aws:SourceAccount or aws:SourceArn. */
export const GUIDE_TRUST_POLICY = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "pinpoint.amazonaws.com" }, Action: "sts:AssumeRole" }],
} as const;

/**
 * The person's own inline policy, written the way such policies grow: Pinpoint work on every project,
 * and passing any role to it.
 */
export const PERSON_INLINE_POLICY_NAME = "dana-pinpoint-work";
export const PERSON_INLINE_POLICY = {
  Version: "2012-10-17",
  Statement: [
    { Sid: "Pinpoint", Effect: "Allow", Action: "mobiletargeting:*", Resource: "*" },
    { Sid: "PassRoles", Effect: "Allow", Action: "iam:PassRole", Resource: "*" },
  ],
} as const;

export interface GuideSetupOptions {
  bucketName: string;
  region: string;
  /** Other buckets of the account, made in the same region: what the managed S3 policies reach beyond staging. */
  otherBuckets?: string[];
  roleName?: string;
  userName?: string;
}

export interface AccessKeyPair {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface GuideSetup {
  accountId: string;
  region: string;
  bucketName: string;
  otherBuckets: string[];
  roleName: string;
  roleArn: string;
  /** Attached to the role. */
  rolePolicyArns: string[];
  userName: string;
  userArn: string;
  /** The key the person gave Census (made last, so it is the newer of the two). */
  censusKey: AccessKeyPair;
  /** The person's own key, which no command may touch. */
  personalKey: AccessKeyPair;
  /** Attached to the user itself. */
  userPolicyArns: string[];
  userInlinePolicyNames: string[];
}

async function createBucket(s3: S3Client, bucketName: string, region: string): Promise<void> {
  await s3.send(
    new CreateBucketCommand({
      Bucket: bucketName,
      ...(region === "us-east-1" ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
    }),
  );
}

async function createKey(iam: IAMClient, userName: string): Promise<AccessKeyPair> {
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

/** `iam` and `s3` act as moto's default identity (IAM enforcement off); `s3` needs forcePathStyle. */
export async function buildGuideSetup(clients: { iam: IAMClient; s3: S3Client }, options: GuideSetupOptions): Promise<GuideSetup> {
  const { iam, s3 } = clients;
  const { bucketName, region, otherBuckets = [], roleName = "CensusPinpointImporter", userName = "dana.admin" } = options;

  for (const name of [bucketName, ...otherBuckets]) await createBucket(s3, name, region);

  const { Role } = await iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: JSON.stringify(GUIDE_TRUST_POLICY) }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: S3_READ_ONLY_ARN }));

  const { User } = await iam.send(new CreateUserCommand({ UserName: userName }));
  await iam.send(new CreateLoginProfileCommand({ UserName: userName, Password: "Example-Passw0rd!" }));
  await iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: PERSON_INLINE_POLICY_NAME, PolicyDocument: JSON.stringify(PERSON_INLINE_POLICY) }));
  await iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: S3_FULL_ACCESS_ARN }));
  const personalKey = await createKey(iam, userName);
  const censusKey = await createKey(iam, userName);

  return {
    accountId: MOTO_ACCOUNT_ID,
    region,
    bucketName,
    otherBuckets,
    roleName,
    roleArn: Role!.Arn!,
    rolePolicyArns: [S3_READ_ONLY_ARN],
    userName,
    userArn: User!.Arn!,
    censusKey,
    personalKey,
    userPolicyArns: [S3_FULL_ACCESS_ARN],
    userInlinePolicyNames: [PERSON_INLINE_POLICY_NAME],
  };
}

/** buildGuideSetup as moto's default identity, through clients of its own. */
export async function buildGuideSetupAsOwner(options: GuideSetupOptions): Promise<GuideSetup> {
  const owner = { region: options.region, credentials: DUMMY_CREDENTIALS };
  const iam = new IAMClient(owner);
  const s3 = new S3Client({ ...owner, forcePathStyle: true });
  try {
    return await buildGuideSetup({ iam, s3 }, options);
  } finally {
    iam.destroy();
    s3.destroy();
  }
}
