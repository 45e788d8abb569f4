import * as pulumi from "@pulumi/pulumi";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity.js";
import * as iam from "@pulumi/aws/iam/index.js";
import * as s3 from "@pulumi/aws/s3/index.js";
import {
  accessKeyResourceName,
  activeKeyGenerations,
  censusGroupName,
  censusPolicyName,
  defaultBucketName,
  defaultCensusUserName,
  defaultImporterRoleName,
  importerPolicyName,
  resourceTags,
  stagingBucketResourceName,
} from "./names.js";
import { censusAccessPolicy, importerRolePolicy, stagingBucketPolicy } from "./policies.js";
import { importerTrustPolicy } from "./trustPolicy.js";
import { checkedWhenKnown, plainValue, refusing } from "./arguments.js";
import { bucketNameWarning, validateBucketName, validateIamName, validateKmsKeyAccount, validateKmsKeyArn, validateStagingInputs } from "./validation.js";

/**
 * The arguments of {@link CensusPinpointStaging}. Each default is what `pulumi up` and the
 * census-pinpoint CLI use when the matching `census-pinpoint:` config key is unset. The names and the
 * KMS key may be outputs of other resources (a key made in the same program: `kmsKeyArn: key.arn`):
 * those are checked once their value is known, the rest before anything is declared. A refused value
 * stops the update with a Pulumi error (a RunError) that names the argument and says why.
 */
export interface CensusPinpointStagingArgs {
  /** AWS region of the Pinpoint project; every resource is created there. Required: a region where Amazon Pinpoint is offered (`PINPOINT_REGION_NAMES`). */
  region: string;
  /** The Amazon Pinpoint project (application) ID: 32 lowercase hexadecimal characters. Required; every permission is scoped to exactly this ID. */
  pinpointProjectId: string;
  /** The AWS account (12 digits) everything is created in. Default: the account of the AWS provider's credentials (`aws.getCallerIdentity`). */
  accountId?: string;
  /**
   * Name of the staging bucket. Default: `census-pinpoint-staging-<first 8 of project ID>-<account>-<region>`,
   * applied when the bucket is created only: a later default never renames (and so replaces) a bucket.
   */
  bucketName?: pulumi.Input<string>;
  /** Days after which staged files expire, 1 to 3650. Default: 7. */
  expirationDays?: number;
  /** Name of the IAM role Amazon Pinpoint assumes to import segments. Default: `CensusPinpointSegmentImporter-<first 8 of project ID>`. */
  importerRoleName?: pulumi.Input<string>;
  /** Name of the IAM user whose access key Census holds. Default: `census-pinpoint-<first 8 of project ID>`. */
  censusUserName?: pulumi.Input<string>;
  /**
   * ARN of an SSE-KMS key (the key's ARN, not an alias) in the bucket's region and account, for the
   * bucket's default encryption; the importer role and the Census user then get KMS grants that hold
   * only through S3 for this bucket. Default: none, SSE-S3 (AES256).
   */
  kmsKeyArn?: pulumi.Input<string>;
  /** Generation of the current Census access key, 1 to 100000: raising it makes a new key (a rotation). Default: 1. */
  accessKeyGeneration?: number;
  /** During a rotation, keep the previous generation's key too, until Census uses the new one. Default: false. */
  keepPreviousAccessKey?: boolean;
  /** Extra tags for every taggable resource; `managed-by` and `pinpoint-project` always win. Default: none. */
  tags?: Record<string, string>;
  /**
   * Pulumi's `protect` on the staging bucket, the Census user and its current access key (default
   * true; Pulumi passes it on to their children: the bucket's settings, the user's group membership):
   * an update that would replace or delete one of them (a new bucket name, a key for another user)
   * fails instead of deleting the bucket's files or the key Census holds, until you turn it off on
   * purpose. Key rotation still works: the previous key is explicitly not protected. The
   * census-pinpoint CLI turns it off and asks for consent itself.
   */
  protect?: boolean;
}

export const COMPONENT_TYPE = "census-pinpoint:index:CensusPinpointStaging";

/**
 * Everything Census's Amazon Pinpoint destination needs: the hardened staging bucket in the Pinpoint
 * project's region, the importer role Pinpoint assumes, and the IAM user (through a group) whose access
 * key Census holds. Its outputs are the values Census's connection form asks for.
 */
export class CensusPinpointStaging extends pulumi.ComponentResource {
  /** Census form: Access Key ID. */
  readonly accessKeyId: pulumi.Output<string>;
  /** Census form: Secret Key. Always a Pulumi secret. */
  readonly secretAccessKey: pulumi.Output<string>;
  /** Census form: Pinpoint Project ID. */
  readonly pinpointProjectId: pulumi.Output<string>;
  /** Census form: S3 Staging Bucket Name. */
  readonly stagingBucketName: pulumi.Output<string>;
  /** Census form: Importer Role ARN. */
  readonly importerRoleArn: pulumi.Output<string>;
  /** Census form: AWS Region. */
  readonly awsRegion: pulumi.Output<string>;
  readonly stagingBucketArn: pulumi.Output<string>;
  readonly censusUserArn: pulumi.Output<string>;
  readonly censusUserName: pulumi.Output<string>;
  readonly accessKeyCreatedAt: pulumi.Output<string>;
  /** During a key rotation, the key Census may still be using; undefined otherwise. */
  readonly previousAccessKeyId: pulumi.Output<string> | undefined;

  constructor(name: string, args: CensusPinpointStagingArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before registering anything: a bad input must not leave a half-declared stack. Names and
    // the key given as outputs of other resources are checked once known (checkedWhenKnown, below).
    const inputs = refusing(() =>
      validateStagingInputs({
        ...args,
        bucketName: plainValue(args.bucketName),
        importerRoleName: plainValue(args.importerRoleName),
        censusUserName: plainValue(args.censusUserName),
        kmsKeyArn: plainValue(args.kmsKeyArn),
      }),
    );
    super(COMPONENT_TYPE, name, {}, opts);
    for (const warning of inputs.warnings) pulumi.log.warn(warning, this);

    const { region, partition, pinpointProjectId: projectId } = inputs;
    const tags = { ...args.tags, ...resourceTags(projectId) };
    const child = { parent: this };
    const guarded = { parent: this, protect: args.protect ?? true };
    const accountId = inputs.accountId ?? getCallerIdentityOutput({}, child).accountId;
    const bucketName =
      args.bucketName === undefined
        ? pulumi.output(accountId).apply((account) => defaultBucketName(account, region, projectId))
        : checkedWhenKnown(args.bucketName, (known) => {
            const warning = bucketNameWarning(validateBucketName(known));
            if (warning) pulumi.log.warn(warning, this);
            return known;
          });
    const roleName =
      args.importerRoleName === undefined
        ? defaultImporterRoleName(projectId)
        : checkedWhenKnown(args.importerRoleName, (known) => validateIamName("importerRoleName", known));
    const userName =
      args.censusUserName === undefined ? defaultCensusUserName(projectId) : checkedWhenKnown(args.censusUserName, (known) => validateIamName("censusUserName", known));
    const kmsKeyArn = args.kmsKeyArn === undefined ? undefined : checkedWhenKnown(args.kmsKeyArn, (known) => validateKmsKeyArn(known, partition, region));
    // A key of another account is refused (validateKmsKeyAccount). Without an accountId argument the
    // account is the caller's, known only once resolved, so everything naming the key waits for the check.
    const kmsKey =
      kmsKeyArn === undefined ? undefined : pulumi.all([kmsKeyArn, accountId]).apply(([arn, account]) => refusing(() => validateKmsKeyAccount(arn, account)));

    // The staging bucket only ever holds files Census re-uploads on each sync, so it may be destroyed full.
    // A default name applies when the bucket is created only: a later default (this tool's defaults
    // have changed before) must never rename, and so replace, a bucket that exists.
    const bucket = new s3.Bucket(
      stagingBucketResourceName(name),
      { bucket: bucketName, region, forceDestroy: true, tags },
      { ...guarded, ignoreChanges: args.bucketName === undefined ? ["bucket"] : [] },
    );
    const bucketChild = { parent: bucket };

    const publicAccessBlock = new s3.BucketPublicAccessBlock(
      `${name}-staging-public-access`,
      {
        bucket: bucket.bucket,
        region,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      bucketChild,
    );
    new s3.BucketOwnershipControls(
      `${name}-staging-ownership`,
      { bucket: bucket.bucket, region, rule: { objectOwnership: "BucketOwnerEnforced" } },
      bucketChild,
    );
    new s3.BucketServerSideEncryptionConfiguration(
      `${name}-staging-encryption`,
      {
        bucket: bucket.bucket,
        region,
        rules: [
          kmsKey
            ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: kmsKey }, bucketKeyEnabled: true }
            : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
        ],
      },
      bucketChild,
    );
    // The logical name predates the SSE-KMS statements; renaming it would replace the policy in every stack.
    new s3.BucketPolicy(
      `${name}-staging-tls-only`,
      {
        bucket: bucket.bucket,
        region,
        policy: pulumi
          .all([bucket.bucket, kmsKey])
          .apply(([bucketName, kmsKeyArn]) => JSON.stringify(stagingBucketPolicy({ partition, bucketName, kmsKeyArn }))),
      },
      // S3 rejects policy writes that race the public access block being set.
      { parent: bucket, dependsOn: [publicAccessBlock] },
    );
    new s3.BucketLifecycleConfiguration(
      `${name}-staging-lifecycle`,
      {
        bucket: bucket.bucket,
        region,
        rules: [
          {
            id: "expire-staged-files",
            status: "Enabled",
            filter: {},
            expiration: { days: inputs.expirationDays },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
          },
        ],
      },
      bucketChild,
    );

    const role = new iam.Role(
      `${name}-importer-role`,
      {
        name: roleName,
        description: `Assumed by Amazon Pinpoint to import segments for project ${projectId} from the Census staging bucket.`,
        assumeRolePolicy: pulumi
          .output(accountId)
          .apply((account) => JSON.stringify(importerTrustPolicy({ partition, region, accountId: account, projectId }))),
        tags,
      },
      child,
    );
    const rolePolicy = new iam.Policy(
      `${name}-importer-policy`,
      {
        name: pulumi.output(roleName).apply(importerPolicyName),
        description: "Read access to the Census staging bucket, for Amazon Pinpoint import jobs.",
        policy: pulumi
          .all([bucket.bucket, kmsKey])
          .apply(([bucketName, kmsKeyArn]) => JSON.stringify(importerRolePolicy({ partition, region, bucketName, kmsKeyArn }))),
        tags,
      },
      { parent: role },
    );
    new iam.RolePolicyAttachment(`${name}-importer-policy-attachment`, { role: role.name, policyArn: rolePolicy.arn }, { parent: role });

    const user = new iam.User(`${name}-census-user`, { name: userName, forceDestroy: true, tags }, guarded);
    // Permissions reach the user through a group, never a policy attached to the user (Security Hub IAM.2).
    const group = new iam.Group(`${name}-census-group`, { name: pulumi.output(userName).apply(censusGroupName) }, child);
    const accessPolicy = new iam.Policy(
      `${name}-census-policy`,
      {
        name: pulumi.output(userName).apply(censusPolicyName),
        description: `What Census needs to sync segments into Amazon Pinpoint project ${projectId}.`,
        policy: pulumi
          .all([accountId, bucket.bucket, role.arn, kmsKey])
          .apply(([account, bucketName, importerRoleArn, kmsKeyArn]) =>
            JSON.stringify(
              censusAccessPolicy({ partition, region, accountId: account, projectId, bucketName, importerRoleArn, kmsKeyArn }),
            ),
          ),
        tags,
      },
      { parent: group },
    );
    new iam.GroupPolicyAttachment(`${name}-census-policy-attachment`, { group: group.name, policyArn: accessPolicy.arn }, { parent: group });
    new iam.UserGroupMembership(`${name}-census-membership`, { user: user.name, groups: [group.name] }, { parent: user });
    const generations = activeKeyGenerations(inputs.accessKeyGeneration, inputs.keepPreviousAccessKey);
    const current = generations.at(-1);
    const accessKeys = generations.map(
      (generation) =>
        new iam.AccessKey(accessKeyResourceName(name, generation), { user: user.name }, { parent: user, protect: generation === current && guarded.protect }),
    );
    const accessKey = accessKeys.at(-1)!;

    this.accessKeyId = accessKey.id;
    this.secretAccessKey = pulumi.secret(accessKey.secret);
    this.pinpointProjectId = pulumi.output(projectId);
    this.stagingBucketName = bucket.bucket;
    this.importerRoleArn = role.arn;
    this.awsRegion = pulumi.output(region);
    this.stagingBucketArn = bucket.arn;
    this.censusUserArn = user.arn;
    this.censusUserName = user.name;
    this.accessKeyCreatedAt = accessKey.createDate;
    this.previousAccessKeyId = accessKeys.length > 1 ? accessKeys[0]!.id : undefined;
    this.registerOutputs(stagingOutputs(this));
  }
}

/**
 * The stack outputs, by the names README.md documents under "Outputs" (users' IaC repos read them;
 * the first six are Census's form fields).
 * `previousAccessKeyId` is there only during a key rotation: the engine warns on every run about a
 * stack output that is undefined.
 */
export function stagingOutputs(staging: CensusPinpointStaging) {
  return {
    accessKeyId: staging.accessKeyId,
    secretAccessKey: staging.secretAccessKey,
    pinpointProjectId: staging.pinpointProjectId,
    stagingBucketName: staging.stagingBucketName,
    importerRoleArn: staging.importerRoleArn,
    awsRegion: staging.awsRegion,
    stagingBucketArn: staging.stagingBucketArn,
    censusUserArn: staging.censusUserArn,
    censusUserName: staging.censusUserName,
    accessKeyCreatedAt: staging.accessKeyCreatedAt,
    ...(staging.previousAccessKeyId ? { previousAccessKeyId: staging.previousAccessKeyId } : {}),
  };
}

export type StagingOutputs = ReturnType<typeof stagingOutputs>;
