/**
 * Every IAM and bucket policy document the stack creates, as pure functions (the importer role's
 * trust policy is in trustPolicy.ts). The component, the tests (IAM simulation), `docs/permissions.md`
 * and the wizard's offline `plan` all call these, so what is reviewed is what is deployed.
 */
import { PARTITION_DNS_SUFFIX, type Partition } from "./regions.js";

/** Operator → condition key → value(s). */
export type PolicyCondition = Record<string, Record<string, string | string[]>>;

export interface PolicyStatement {
  Sid: string;
  Effect: "Allow" | "Deny";
  Principal?: "*" | { Service: string } | { AWS: string };
  Action: string | string[];
  Resource?: string | string[];
  Condition?: PolicyCondition;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

export interface ProjectScope {
  partition: Partition;
  region: string;
  accountId: string;
  projectId: string;
}

export interface BucketScope {
  partition: Partition;
  /** The bucket's region: S3 there is the only service the KMS grants hold through. */
  region: string;
  bucketName: string;
  /** SSE-KMS key; absent means SSE-S3 (AES256), which needs no KMS permission. */
  kmsKeyArn?: string;
}

export interface CensusAccessScope extends ProjectScope, BucketScope {
  importerRoleArn: string;
}

/** The principal Amazon Pinpoint uses when it assumes the importer role. */
export const PINPOINT_SERVICE_PRINCIPAL = "pinpoint.amazonaws.com";

/**
 * The AWS reference names `mobiletargeting.amazonaws.com` as the `iam:PassedToService` value while the
 * trust principal is `pinpoint.amazonaws.com`; which one IAM checks on CreateImportJob is not documented
 * clearly, so both are allowed (and nothing else).
 */
export const PINPOINT_PASSED_TO_SERVICES = ["mobiletargeting.amazonaws.com", PINPOINT_SERVICE_PRINCIPAL];

/** What Census does with a project: create segments from files staged in S3, and manage them. */
export const CENSUS_PINPOINT_ACTIONS = [
  "mobiletargeting:GetApp",
  "mobiletargeting:CreateImportJob",
  "mobiletargeting:GetImportJob",
  "mobiletargeting:GetImportJobs",
  "mobiletargeting:GetSegments",
  "mobiletargeting:GetSegment",
  "mobiletargeting:CreateSegment",
  "mobiletargeting:UpdateSegment",
  "mobiletargeting:DeleteSegment",
  "mobiletargeting:GetSegmentVersion",
  "mobiletargeting:GetSegmentVersions",
  "mobiletargeting:GetSegmentImportJobs",
];

export const CENSUS_BUCKET_ACTIONS = ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"];

export const CENSUS_OBJECT_ACTIONS = [
  "s3:GetObject",
  "s3:PutObject",
  "s3:DeleteObject",
  "s3:AbortMultipartUpload",
  "s3:ListMultipartUploadParts",
];

export function bucketArn(partition: Partition, bucketName: string): string {
  return `arn:${partition}:s3:::${bucketName}`;
}

export function bucketObjectsArn(partition: Partition, bucketName: string): string {
  return `${bucketArn(partition, bucketName)}/*`;
}

export function pinpointAppArn(scope: ProjectScope): string {
  return `arn:${scope.partition}:mobiletargeting:${scope.region}:${scope.accountId}:apps/${scope.projectId}`;
}

/** The `kms:ViaService` value of the requests S3 in `region` makes to KMS on a caller's behalf. */
function s3ViaService(partition: Partition, region: string): string {
  // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
  return `s3.${region}.${PARTITION_DNS_SUFFIX[partition]}`;
}

/**
 * The condition every KMS grant carries: the key is usable only by S3 (not by a direct KMS call with
 * the Census key or the role's session), and only for this bucket's objects. The bucket encrypts with
 * an S3 Bucket Key, and then S3 puts the bucket ARN, not the object ARN, in the encryption context
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html#bucket-key-changes,
 * https://docs.aws.amazon.com/kms/latest/developerguide/services-s3.html#s3-encryption-context). Object
 * ARNs are left out on purpose: only an upload that turns the Bucket Key off
 * (`x-amz-server-side-encryption-bucket-key-enabled: false`) would use one, Census sends no encryption
 * headers, and such an upload is then refused rather than encrypted outside the bucket's setting.
 */
function kmsThroughS3ForBucket(scope: Pick<BucketScope, "partition" | "region" | "bucketName">): PolicyCondition {
  return {
    StringEquals: {
      "kms:ViaService": s3ViaService(scope.partition, scope.region),
      "kms:EncryptionContext:aws:s3:arn": bucketArn(scope.partition, scope.bucketName),
    },
  };
}

export function iamRoleArn(partition: Partition, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/** What Pinpoint may do with the role during an import: read the staged files, nothing else. */
export function importerRolePolicy(scope: BucketScope): PolicyDocument {
  const statements: PolicyStatement[] = [
    {
      Sid: "ReadStagedFiles",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: bucketObjectsArn(scope.partition, scope.bucketName),
    },
    {
      // An import's S3 URL may name a folder, which Pinpoint lists.
      Sid: "ListStagingBucket",
      Effect: "Allow",
      Action: ["s3:ListBucket", "s3:GetBucketLocation"],
      Resource: bucketArn(scope.partition, scope.bucketName),
    },
  ];
  if (scope.kmsKeyArn) {
    statements.push({
      Sid: "DecryptStagedFiles",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: scope.kmsKeyArn,
      Condition: kmsThroughS3ForBucket(scope),
    });
  }
  return { Version: "2012-10-17", Statement: statements };
}

/**
 * The policy of the identity whose access key Census holds. No `aws:SourceAccount` condition here: that
 * key exists only when an AWS service makes the call, so such a statement would never match.
 */
export function censusAccessPolicy(scope: CensusAccessScope): PolicyDocument {
  const appArn = pinpointAppArn(scope);
  const statements: PolicyStatement[] = [
    {
      Sid: "StagingBucket",
      Effect: "Allow",
      Action: CENSUS_BUCKET_ACTIONS,
      Resource: bucketArn(scope.partition, scope.bucketName),
    },
    {
      Sid: "StagingObjects",
      Effect: "Allow",
      Action: CENSUS_OBJECT_ACTIONS,
      Resource: bucketObjectsArn(scope.partition, scope.bucketName),
    },
    {
      Sid: "PinpointProject",
      Effect: "Allow",
      Action: CENSUS_PINPOINT_ACTIONS,
      Resource: [appArn, `${appArn}/*`],
    },
    {
      Sid: "PassImporterRoleToPinpoint",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: scope.importerRoleArn,
      Condition: { StringEquals: { "iam:PassedToService": PINPOINT_PASSED_TO_SERVICES } },
    },
    {
      // Lets `verify` (run with this key) check the importer role exists and trusts Pinpoint.
      Sid: "ReadImporterRole",
      Effect: "Allow",
      Action: "iam:GetRole",
      Resource: scope.importerRoleArn,
    },
  ];
  if (scope.kmsKeyArn) {
    statements.push({
      Sid: "EncryptStagedFiles",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: scope.kmsKeyArn,
      Condition: kmsThroughS3ForBucket(scope),
    });
  }
  return { Version: "2012-10-17", Statement: statements };
}

/** Bucket policy: refuse every request that does not use TLS (Security Hub S3.5). */
export function tlsOnlyBucketPolicy(scope: Pick<BucketScope, "partition" | "bucketName">): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn(scope.partition, scope.bucketName), bucketObjectsArn(scope.partition, scope.bucketName)],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  };
}

/**
 * With SSE-KMS, uploads that ask for any other encryption are refused, so every object is under the key
 * the KMS grants are tied to. Uploads without encryption headers get the bucket's default and pass:
 * Census sends none. Each statement applies only when its header is present (`Null: false`), because a
 * negated operator alone also matches a request that lacks the key. The key header must name the key by
 * its ARN (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html): an upload
 * naming the same key by ID or alias is refused too, which costs Census nothing.
 */
function sseKmsOnlyUploadStatements(scope: Pick<BucketScope, "partition" | "bucketName"> & { kmsKeyArn: string }): PolicyStatement[] {
  const denyUpload = (Sid: string, Condition: PolicyCondition): PolicyStatement => ({
    Sid,
    Effect: "Deny",
    Principal: "*",
    Action: "s3:PutObject",
    Resource: bucketObjectsArn(scope.partition, scope.bucketName),
    Condition,
  });
  return [
    // AES256 (SSE-S3) or aws:kms:dsse.
    denyUpload("DenyOtherEncryption", {
      Null: { "s3:x-amz-server-side-encryption": "false" },
      StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
    }),
    denyUpload("DenyOtherKmsKey", {
      Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "false" },
      StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": scope.kmsKeyArn },
    }),
    // `aws:kms` without a key ID means the AWS managed key aws/s3, not the bucket's
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html).
    denyUpload("DenyKmsWithoutKeyId", {
      Null: { "s3:x-amz-server-side-encryption": "false", "s3:x-amz-server-side-encryption-aws-kms-key-id": "true" },
    }),
    // SSE-C: a key of the uploader's own, outside KMS.
    denyUpload("DenyCustomerProvidedKeys", { Null: { "s3:x-amz-server-side-encryption-customer-algorithm": "false" } }),
  ];
}

/** The staging bucket's policy: TLS only, and with SSE-KMS, uploads under the bucket's key only. */
export function stagingBucketPolicy(scope: Pick<BucketScope, "partition" | "bucketName" | "kmsKeyArn">): PolicyDocument {
  const { kmsKeyArn } = scope;
  const tls = tlsOnlyBucketPolicy(scope).Statement;
  return { Version: "2012-10-17", Statement: kmsKeyArn ? [...tls, ...sseKmsOnlyUploadStatements({ ...scope, kmsKeyArn })] : tls };
}
