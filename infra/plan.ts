/**
 * What the component will create, computed without Pulumi: the resources with their physical names and
 * settings, and the exact policy documents. `plan` prints it; a test keeps it in step with the
 * component run under mocks.
 */
import {
  accessKeyResourceName,
  activeKeyGenerations,
  censusGroupName,
  censusPolicyName,
  defaultBucketName,
  defaultCensusUserName,
  defaultImporterRoleName,
  importerPolicyName,
  PROJECT_NAME,
  resourceTags,
} from "./names.js";
import { censusAccessPolicy, iamRoleArn, importerRolePolicy, stagingBucketPolicy, type PolicyDocument } from "./policies.js";
import { importerTrustPolicy } from "./trustPolicy.js";
import type { Partition, PinpointRegion } from "./regions.js";
import { validateStagingInputs, type StagingInputs } from "./validation.js";

export interface PlannedResource {
  type: string;
  /** Pulumi logical name (the URN's last part). */
  name: string;
  /** What AWS will call it, where it has a name of its own. */
  physicalName?: string;
  settings: Record<string, unknown>;
}

export interface StagingPlan {
  accountId: string;
  region: PinpointRegion;
  partition: Partition;
  pinpointProjectId: string;
  bucketName: string;
  importerRoleName: string;
  importerRoleArn: string;
  censusUserName: string;
  expirationDays: number;
  kmsKeyArn?: string;
  tags: Record<string, string>;
  resources: PlannedResource[];
  policies: {
    importerTrust: PolicyDocument;
    importerAccess: PolicyDocument;
    censusAccess: PolicyDocument;
    bucket: PolicyDocument;
  };
  warnings: string[];
}

export function planStaging(inputs: StagingInputs & { accountId: string }, name: string = PROJECT_NAME): StagingPlan {
  const valid = validateStagingInputs(inputs);
  const { region, partition, pinpointProjectId: projectId, kmsKeyArn, expirationDays } = valid;
  const accountId = inputs.accountId;
  const bucketName = valid.bucketName ?? defaultBucketName(accountId, region, valid.pinpointProjectId);
  const roleName = valid.importerRoleName ?? defaultImporterRoleName(projectId);
  const userName = valid.censusUserName ?? defaultCensusUserName(projectId);
  const importerRoleArn = iamRoleArn(partition, accountId, roleName);
  const tags = resourceTags(projectId);
  const policies = {
    importerTrust: importerTrustPolicy({ partition, region, accountId, projectId }),
    importerAccess: importerRolePolicy({ partition, region, bucketName, kmsKeyArn }),
    censusAccess: censusAccessPolicy({ partition, region, accountId, projectId, bucketName, importerRoleArn, kmsKeyArn }),
    bucket: stagingBucketPolicy({ partition, bucketName, kmsKeyArn }),
  };
  const resources: PlannedResource[] = [
    { type: "aws:s3/bucket:Bucket", name: `${name}-staging`, physicalName: bucketName, settings: { region, forceDestroy: true } },
    {
      type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
      name: `${name}-staging-public-access`,
      settings: { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
    },
    { type: "aws:s3/bucketOwnershipControls:BucketOwnershipControls", name: `${name}-staging-ownership`, settings: { objectOwnership: "BucketOwnerEnforced" } },
    {
      type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      name: `${name}-staging-encryption`,
      settings: kmsKeyArn ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: kmsKeyArn, bucketKeyEnabled: true } : { sseAlgorithm: "AES256" },
    },
    { type: "aws:s3/bucketPolicy:BucketPolicy", name: `${name}-staging-tls-only`, settings: { policy: "bucket" } },
    {
      type: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      name: `${name}-staging-lifecycle`,
      settings: { expireAfterDays: expirationDays, abortIncompleteMultipartUploadAfterDays: 1 },
    },
    { type: "aws:iam/role:Role", name: `${name}-importer-role`, physicalName: roleName, settings: { trustPolicy: "importerTrust" } },
    { type: "aws:iam/policy:Policy", name: `${name}-importer-policy`, physicalName: importerPolicyName(roleName), settings: { policy: "importerAccess" } },
    { type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", name: `${name}-importer-policy-attachment`, settings: { role: roleName } },
    { type: "aws:iam/user:User", name: `${name}-census-user`, physicalName: userName, settings: { forceDestroy: true } },
    { type: "aws:iam/group:Group", name: `${name}-census-group`, physicalName: censusGroupName(userName), settings: {} },
    { type: "aws:iam/policy:Policy", name: `${name}-census-policy`, physicalName: censusPolicyName(userName), settings: { policy: "censusAccess" } },
    { type: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment", name: `${name}-census-policy-attachment`, settings: { group: censusGroupName(userName) } },
    { type: "aws:iam/userGroupMembership:UserGroupMembership", name: `${name}-census-membership`, settings: { user: userName, groups: [censusGroupName(userName)] } },
    ...activeKeyGenerations(valid.accessKeyGeneration, valid.keepPreviousAccessKey).map((generation) => ({
      type: "aws:iam/accessKey:AccessKey",
      name: accessKeyResourceName(name, generation),
      settings: { user: userName, generation },
    })),
  ];
  return {
    accountId,
    region,
    partition,
    pinpointProjectId: projectId,
    bucketName,
    importerRoleName: roleName,
    importerRoleArn,
    censusUserName: userName,
    expirationDays,
    kmsKeyArn,
    tags,
    resources,
    policies,
    warnings: valid.warnings,
  };
}
