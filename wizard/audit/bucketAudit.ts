/**
 * The staging bucket's posture, read with the administrator's credentials: its region (Pinpoint
 * imports only from a bucket in the project's region), public access block (S3.8), object ownership
 * (S3.12), default encryption, TLS-only bucket policy (S3.5), and lifecycle: expiry of every object
 * (S3.13) and abort of incomplete uploads. Read-only.
 */
import { defaultBucketName } from "../../infra/names.js";
import { partitionOf, type Partition } from "../../infra/regions.js";
import { bucketAvailability } from "../aws/bucket.js";
import {
  readBucketSettings,
  type LifecycleRule,
  type PublicAccessBlockConfiguration,
  type ServerSideEncryptionRule,
  type SettingRead,
} from "../aws/bucketSettings.js";
import { parseRoleArn } from "../verify/input.js";
import { describeRules, judgeLifecycle, lifecycleFix } from "./lifecycle.js";
import type { AreaResult, AuditFinding, AuditOptions, AuditSubject } from "./report.js";
import { shellQuoted } from "./shell.js";
import { judgeTlsPolicy, policyWithTlsStatement } from "./tlsPolicy.js";

/** A check's outcome: a passed line, or a finding. */
type Outcome = string | AuditFinding;

type FindingFields = Omit<AuditFinding, "area" | "method">;

function finding(fields: FindingFields): AuditFinding {
  return { ...fields, area: "bucket", method: "api" };
}

interface BucketScope {
  subject: AuditSubject;
  bucket: string;
  partition: Partition;
}

/**
 * A stack's bucket setting that is off was changed by hand since the last update: setup puts the
 * stack's back. A setup made by hand gets the AWS CLI command alone. Commands stand on lines of their
 * own, so they are shown whole and can be pasted.
 */
function fixOf({ subject }: BucketScope, what: string, command: string): string {
  if (subject.stackName === undefined) return `${what}:\n${command}`;
  const lowered = what.charAt(0).toLowerCase() + what.slice(1);
  return `Stack ${subject.stackName} sets this, and setup puts it back:\ncensus-pinpoint setup --region ${subject.region} --project-id ${subject.projectId}\nOr by hand (${lowered}):\n${command}`;
}

const BLOCK_SETTINGS = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"] as const;

function publicAccess(scope: BucketScope, block: PublicAccessBlockConfiguration | undefined): Outcome {
  const { bucket } = scope;
  const off = BLOCK_SETTINGS.filter((setting) => block?.[setting] !== true);
  if (off.length === 0) return `Public access to ${bucket} is blocked: all four settings of its public access block are on`;
  return finding({
    id: "bucket-public-access-not-blocked",
    severity: "high",
    control: "S3.8",
    problem: `Bucket ${bucket} does not block public access (${off.join(", ")} ${off.length === 1 ? "is" : "are"} off): one bucket policy or ACL away from publishing Census's staged customer data.`,
    evidence: [
      block === undefined
        ? `GetPublicAccessBlock on ${bucket}: no public access block configuration`
        : `GetPublicAccessBlock on ${bucket}: ${BLOCK_SETTINGS.map((setting) => `${setting}=${block[setting] === true}`).join(", ")}`,
    ],
    fix: fixOf(
      scope,
      "Turn on all four settings",
      `aws s3api put-public-access-block --bucket ${bucket} --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`,
    ),
  });
}

function ownership(scope: BucketScope, objectOwnership: string | undefined): Outcome {
  const { bucket } = scope;
  if (objectOwnership === "BucketOwnerEnforced") return `ACLs are disabled on ${bucket} (object ownership BucketOwnerEnforced)`;
  return finding({
    id: "bucket-acls-enabled",
    severity: "medium",
    control: "S3.12",
    problem: `Bucket ${bucket} still honours ACLs (object ownership ${objectOwnership ?? "not set"}): access to staged files can be granted per object, outside the bucket's and IAM's policies.`,
    evidence: [`GetBucketOwnershipControls on ${bucket}: ${objectOwnership === undefined ? "no ownership controls" : `ObjectOwnership=${objectOwnership}`}`],
    fix: fixOf(
      scope,
      "Disable ACLs",
      `aws s3api put-bucket-ownership-controls --bucket ${bucket} --ownership-controls ${shellQuoted(JSON.stringify({ Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] }))}`,
    ),
  });
}

function sseS3Command(bucket: string): string {
  const configuration = { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }] };
  return `aws s3api put-bucket-encryption --bucket ${bucket} --server-side-encryption-configuration ${shellQuoted(JSON.stringify(configuration))}`;
}

const KMS_KEY = /^arn:([a-z-]+):kms:([a-z0-9-]+):(\d{12}):(key|alias)\/(.+)$/;

/** SSE-KMS: the key must be in the bucket's region. census-pinpoint has no KMS client, so whether the key is enabled is left to `aws kms describe-key`. */
function kmsKey(scope: BucketScope, bucketRegion: string, algorithm: string, keyId: string | undefined): Outcome {
  const { bucket } = scope;
  const label = algorithm === "aws:kms:dsse" ? "DSSE-KMS" : "SSE-KMS";
  if (keyId === undefined) return `${bucket} encrypts new objects with ${label} under the AWS managed key aws/s3`;
  const arn = KMS_KEY.exec(keyId);
  if (arn && arn[2] !== bucketRegion) {
    return finding({
      id: "bucket-kms-key-other-region",
      severity: "high",
      problem: `Bucket ${bucket} in ${bucketRegion} encrypts with KMS key ${keyId}, which is in ${arn[2]}: S3 uses only keys of the bucket's region, so uploads to the bucket fail.`,
      evidence: [`GetBucketEncryption on ${bucket}: SSEAlgorithm=${algorithm}, KMSMasterKeyID=${keyId}`],
      fix: `Use a key in ${bucketRegion}, or SSE-S3, which needs no KMS permission:\n${sseS3Command(bucket)}`,
    });
  }
  return `${bucket} encrypts new objects with ${label} key ${keyId} (that the key is enabled was not read: \`aws kms describe-key --key-id ${keyId} --region ${bucketRegion}\` shows its KeyState)`;
}

function encryption(scope: BucketScope, bucketRegion: string, rules: ServerSideEncryptionRule[] | undefined): Outcome {
  const { bucket } = scope;
  const byDefault = rules?.find((rule) => rule.ApplyServerSideEncryptionByDefault?.SSEAlgorithm)?.ApplyServerSideEncryptionByDefault;
  if (byDefault?.SSEAlgorithm === "AES256") return `${bucket} encrypts new objects with SSE-S3 (AES256)`;
  if (byDefault?.SSEAlgorithm) return kmsKey(scope, bucketRegion, byDefault.SSEAlgorithm, byDefault.KMSMasterKeyID);
  return finding({
    id: "bucket-not-encrypted",
    severity: "medium",
    problem: `Bucket ${bucket} has no default encryption: staged files are stored as they are uploaded.`,
    evidence: [`GetBucketEncryption on ${bucket}: no server-side encryption configuration`],
    fix: fixOf(
      scope,
      "Encrypt new objects with SSE-S3, which needs no KMS permission",
      sseS3Command(bucket),
    ),
  });
}

function tlsOnly(scope: BucketScope, policy: string | undefined): Outcome {
  const { bucket, partition } = scope;
  const judgement = judgeTlsPolicy(policy, partition, bucket);
  if (judgement.required) return `The bucket policy of ${bucket} refuses requests without TLS (statement ${judgement.statement})`;
  const merged = JSON.stringify(policyWithTlsStatement(policy, partition, bucket));
  const resources = `arn:${partition}:s3:::${bucket} and arn:${partition}:s3:::${bucket}/*`;
  return finding({
    id: "bucket-tls-not-required",
    severity: "medium",
    control: "S3.5",
    problem: `Bucket ${bucket} accepts requests without TLS: its bucket policy does not deny aws:SecureTransport = false.`,
    evidence: [
      policy === undefined
        ? `GetBucketPolicy on ${bucket}: no bucket policy`
        : `GetBucketPolicy on ${bucket}: no Deny statement for every principal and s3:* on ${resources} when aws:SecureTransport is false`,
      ...(judgement.near.length > 0 ? [`Statement ${judgement.near.join(", ")} denies insecure transport, but not for every principal, action and resource of the bucket`] : []),
    ],
    fix: fixOf(
      scope,
      policy === undefined ? "Add a bucket policy denying every request without TLS" : "Put back the bucket policy with its statements and one more, denying every request without TLS",
      `aws s3api put-bucket-policy --bucket ${bucket} --policy ${shellQuoted(merged)}`,
    ),
  });
}

function lifecycle(scope: BucketScope, rules: readonly LifecycleRule[]): Outcome[] {
  const { bucket } = scope;
  const judgement = judgeLifecycle(rules);
  const missing = { expiry: judgement.expiry === undefined, abort: judgement.abort === undefined };
  // One command for both findings: applied twice, a second one would replace the first's rule.
  const fix = () => {
    const { what, command } = lifecycleFix(bucket, rules, missing);
    return fixOf(scope, what, command);
  };
  const evidence = describeRules(rules).map((line) => `GetBucketLifecycleConfiguration on ${bucket}: ${line}`);
  return [
    judgement.expiry
      ? `In ${bucket} ${judgement.expiry}`
      : finding({
          id: "bucket-no-expiry",
          severity: "medium",
          control: "S3.13",
          problem: `Nothing in bucket ${bucket} ever expires: every file Census staged, customer data included, is kept until someone deletes it.`,
          evidence,
          fix: fix(),
        }),
    judgement.abort
      ? `In ${bucket} ${judgement.abort}`
      : finding({
          id: "bucket-incomplete-uploads-kept",
          severity: "low",
          problem: `Bucket ${bucket} keeps the parts of incomplete multipart uploads forever: stored and billed, listed nowhere.`,
          evidence,
          fix: fix(),
        }),
  ];
}

function regionOutcome(scope: BucketScope, bucketRegion: string | undefined): Outcome {
  const { subject, bucket } = scope;
  if (bucketRegion === undefined) return `Bucket ${bucket} exists (S3 did not name its region)`;
  if (bucketRegion === subject.region) return `Bucket ${bucket} is in ${subject.region}, the Pinpoint project's region`;
  const account = parseRoleArn(subject.importerRoleArn)?.accountId;
  const suggestion = account ? defaultBucketName(account, subject.region, subject.projectId) : "<new-bucket-name>";
  const location = subject.region === "us-east-1" ? "" : ` --create-bucket-configuration LocationConstraint=${subject.region}`;
  return finding({
    id: "bucket-wrong-region",
    severity: "high",
    problem: `Bucket ${bucket} is in ${bucketRegion}, not in ${subject.region} where Pinpoint project ${subject.projectId} is: Pinpoint imports only from a bucket in the project's region.`,
    evidence: [`HeadBucket on ${bucket}: BucketRegion=${bucketRegion}`],
    fix: `Stage in a bucket in ${subject.region} and give its name to Census. census-pinpoint setup makes one with every setting this audit looks at:\ncensus-pinpoint setup --region ${subject.region} --project-id ${subject.projectId}\nOr create one by hand:\naws s3api create-bucket --bucket ${suggestion} --region ${subject.region}${location}`,
  });
}

function denied<T>(setting: SettingRead<T>): string | undefined {
  return setting.read ? undefined : `${setting.operation} (${setting.permission}): ${setting.detail}`;
}

export async function auditBucket(subject: AuditSubject, options: AuditOptions): Promise<AreaResult> {
  const bucket = subject.bucketName;
  const result = (outcomes: Outcome[], skipped?: string): AreaResult => ({
    area: "bucket",
    findings: outcomes.filter((outcome): outcome is AuditFinding => typeof outcome !== "string"),
    passed: outcomes.filter((outcome): outcome is string => typeof outcome === "string"),
    ...(skipped ? { skipped } : {}),
  });
  options.onProgress({ kind: "step", message: `Reading the settings of bucket ${bucket}` });
  const availability = await bucketAvailability(subject.admin, bucket);
  if (availability.status === "free") return result([], `There is no bucket ${bucket} (S3 HeadBucket: 404 Not Found).`);
  if (availability.status === "taken") {
    return result(
      [],
      `S3 refused HeadBucket on ${bucket} (HTTP 403): these credentials may not s3:ListBucket on it, or it belongs to another AWS account.`,
    );
  }
  const scope: BucketScope = { subject, bucket, partition: partitionOf(subject.region) };
  const bucketRegion = availability.region;
  const settings = await readBucketSettings({ ...subject.admin, region: bucketRegion ?? subject.region }, bucket);
  const { publicAccessBlock, objectOwnership, encryption: sse, policy, lifecycleRules } = settings;
  const outcomes: Outcome[] = [regionOutcome(scope, bucketRegion)];
  if (publicAccessBlock.read) outcomes.push(publicAccess(scope, publicAccessBlock.value));
  if (objectOwnership.read) outcomes.push(ownership(scope, objectOwnership.value));
  if (sse.read) outcomes.push(encryption(scope, bucketRegion ?? subject.region, sse.value));
  if (policy.read) outcomes.push(tlsOnly(scope, policy.value));
  if (lifecycleRules.read) outcomes.push(...lifecycle(scope, lifecycleRules.value ?? []));
  const refusals = [denied(publicAccessBlock), denied(objectOwnership), denied(sse), denied(policy), denied(lifecycleRules)].filter((text) => text !== undefined);
  return result(
    outcomes,
    refusals.length > 0 ? `S3 refused to show these settings of ${bucket}, so they were not audited: ${refusals.join("; ")}.` : undefined,
  );
}
