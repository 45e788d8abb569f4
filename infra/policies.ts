/**
 * Every IAM and bucket policy document the stack creates, as pure functions. The component, the tests
 * (IAM simulation), `docs/permissions.md` and the wizard's offline `plan` all call these, so what is
 * reviewed is what is deployed.
 */
import type { Partition } from "./regions.js";

export interface PolicyStatement {
  Sid: string;
  Effect: "Allow" | "Deny";
  Principal?: "*" | { Service: string } | { AWS: string };
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
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

export function iamRoleArn(partition: Partition, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/**
 * Trust policy of the importer role. The SourceAccount/SourceArn conditions stop another account's
 * Pinpoint project from using this role (confused deputy); Census's own guide omitted them. No external
 * ID: AWS deprecated them for Pinpoint roles. Uncertain: whether Pinpoint presents exactly the app ARN
 * as SourceArn; if real imports are refused, the documented fallback is `apps/<projectId>*`.
 */
export function importerTrustPolicy(scope: ProjectScope): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "PinpointImportsForThisProjectOnly",
        Effect: "Allow",
        Principal: { Service: PINPOINT_SERVICE_PRINCIPAL },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": scope.accountId },
          ArnLike: { "aws:SourceArn": pinpointAppArn(scope) },
        },
      },
    ],
  };
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
    statements.push({ Sid: "DecryptStagedFiles", Effect: "Allow", Action: "kms:Decrypt", Resource: scope.kmsKeyArn });
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
