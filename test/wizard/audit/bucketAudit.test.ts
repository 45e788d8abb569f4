// The staging bucket's audit against moto_server: a bucket as Census's guide leaves it, one as the stack
// makes it, and each setting on its own. The fixes are run as printed, through a shell and a stand-in
// `aws` that hands its arguments to the SDK, and the bucket is audited again: proof that they paste and
// that S3 takes them.
import { execFileSync } from "node:child_process";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  type LifecycleRule,
} from "@aws-sdk/client-s3";
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { defaultBucketName } from "../../../infra/names.js";
import { auditBucket } from "../../../wizard/audit/bucketAudit.js";
import type { AreaResult, AuditSubject } from "../../../wizard/audit/report.js";
import type { ProgressEvent } from "../../../wizard/progress.js";
import { BARE_BUCKET_FINDINGS, hardenBucket, hardenedBucketPassed, ownerS3 } from "../../helpers/hardenedBucket.js";
import { DUMMY_CREDENTIALS, MOTO_ACCOUNT_ID, useMoto } from "../../helpers/moto.js";
import { createBucket } from "../../helpers/motoStaging.js";

const REGION = "eu-west-1";
const BUCKET = "census-staging-audit";
const PROJECT_ID = "0123456789abcdef0123456789abcdef";
const moto = useMoto();

beforeEach(() => {
  process.env.AWS_ACCESS_KEY_ID = DUMMY_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = DUMMY_CREDENTIALS.secretAccessKey;
});

function subject(fields: Partial<AuditSubject> = {}): AuditSubject {
  return {
    region: REGION,
    projectId: PROJECT_ID,
    bucketName: BUCKET,
    importerRoleArn: `arn:aws:iam::${MOTO_ACCOUNT_ID}:role/CensusPinpointImporter`,
    census: { kind: "key-profile", profile: "census" },
    admin: { region: REGION, env: process.env },
    ...fields,
  };
}

async function audit(fields: Partial<AuditSubject> = {}): Promise<AreaResult & { events: ProgressEvent[] }> {
  const events: ProgressEvent[] = [];
  const result = await auditBucket(subject(fields), { onProgress: (event) => events.push(event), now: Date.now() });
  return { ...result, events };
}

const ids = (result: AreaResult) => result.findings.map((finding) => finding.id);

/** Any S3 command, as moto's owner. */
async function send(command: object): Promise<unknown> {
  const s3 = ownerS3(REGION);
  try {
    return await s3.send(command as never);
  } finally {
    s3.destroy();
  }
}

/** `aws s3api <operation> --bucket B --<name> <value>` as the shell hands it over: [operation, bucket, value]. */
function argumentsOf(command: string): [string, string, string] {
  const bin = join(moto.aws.dir, "bin");
  execFileSync("mkdir", ["-p", bin]);
  const aws = join(bin, "aws");
  writeFileSync(aws, `#!/usr/bin/env node\nconsole.log(JSON.stringify(process.argv.slice(2)));\n`);
  chmodSync(aws, 0o755);
  const argv = JSON.parse(execFileSync("sh", ["-c", command], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, encoding: "utf8" })) as string[];
  expect(argv[0]).toBe("s3api");
  expect(argv[2]).toBe("--bucket");
  expect(argv).toHaveLength(6);
  return [argv[1]!, argv[3]!, argv[5]!];
}

/** Runs every command line of the fixes, as the AWS CLI would, with the SDK. */
async function applyFixes(result: AreaResult): Promise<void> {
  const commands = new Set(result.findings.flatMap((finding) => finding.fix.split("\n").filter((line) => line.startsWith("aws "))));
  for (const command of commands) {
    const [operation, Bucket, value] = argumentsOf(command);
    switch (operation) {
      case "put-public-access-block": {
        const settings = Object.fromEntries(value.split(",").map((pair) => pair.split("=")).map(([key, flag]) => [key, flag === "true"]));
        await send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: settings }));
        break;
      }
      case "put-bucket-ownership-controls":
        await send(new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: JSON.parse(value) }));
        break;
      case "put-bucket-encryption":
        await send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: JSON.parse(value) }));
        break;
      case "put-bucket-policy":
        await send(new PutBucketPolicyCommand({ Bucket, Policy: value }));
        break;
      case "put-bucket-lifecycle-configuration":
        await send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: JSON.parse(value) }));
        break;
      default:
        throw new Error(`no stand-in for aws s3api ${operation}`);
    }
  }
}

async function putLifecycle(rules: LifecycleRule[]): Promise<void> {
  await send(new PutBucketLifecycleConfigurationCommand({ Bucket: BUCKET, LifecycleConfiguration: { Rules: rules } }));
}

test("a bucket as the guide leaves it: every setting but its region is a finding with evidence and the exact command", async () => {
  await createBucket(REGION, BUCKET);
  const result = await audit();

  expect(result.events).toEqual([{ kind: "step", message: `Reading the settings of bucket ${BUCKET}` }]);
  expect(result.passed).toEqual([`Bucket ${BUCKET} is in ${REGION}, the Pinpoint project's region`]);
  expect(result.skipped).toBeUndefined();
  expect(ids(result)).toEqual(BARE_BUCKET_FINDINGS);
  const lifecycleCommand = `aws s3api put-bucket-lifecycle-configuration --bucket ${BUCKET} --lifecycle-configuration '{"Rules":[{"ID":"expire-staged-files","Status":"Enabled","Filter":{},"Expiration":{"Days":7},"AbortIncompleteMultipartUpload":{"DaysAfterInitiation":1}}]}'`;
  const lifecycleFix = `Add lifecycle rule "expire-staged-files", which expires staged files 7 days after they were written (census-pinpoint's default) and aborts incomplete uploads after 1 day:\n${lifecycleCommand}`;
  expect(result.findings).toEqual([
    {
      id: "bucket-public-access-not-blocked",
      area: "bucket",
      severity: "high",
      control: "S3.8",
      problem: `Bucket ${BUCKET} does not block public access (BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets are off): one bucket policy or ACL away from publishing Census's staged customer data.`,
      evidence: [`GetPublicAccessBlock on ${BUCKET}: no public access block configuration`],
      fix: `Turn on all four settings:\naws s3api put-public-access-block --bucket ${BUCKET} --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`,
      method: "api",
    },
    {
      id: "bucket-acls-enabled",
      area: "bucket",
      severity: "medium",
      control: "S3.12",
      problem: `Bucket ${BUCKET} still honours ACLs (object ownership not set): access to staged files can be granted per object, outside the bucket's and IAM's policies.`,
      evidence: [`GetBucketOwnershipControls on ${BUCKET}: no ownership controls`],
      fix: `Disable ACLs:\naws s3api put-bucket-ownership-controls --bucket ${BUCKET} --ownership-controls '{"Rules":[{"ObjectOwnership":"BucketOwnerEnforced"}]}'`,
      method: "api",
    },
    {
      id: "bucket-not-encrypted",
      area: "bucket",
      severity: "medium",
      problem: `Bucket ${BUCKET} has no default encryption: staged files are stored as they are uploaded.`,
      evidence: [`GetBucketEncryption on ${BUCKET}: no server-side encryption configuration`],
      fix: `Encrypt new objects with SSE-S3, which needs no KMS permission:\naws s3api put-bucket-encryption --bucket ${BUCKET} --server-side-encryption-configuration '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]}'`,
      method: "api",
    },
    {
      id: "bucket-tls-not-required",
      area: "bucket",
      severity: "medium",
      control: "S3.5",
      problem: `Bucket ${BUCKET} accepts requests without TLS: its bucket policy does not deny aws:SecureTransport = false.`,
      evidence: [`GetBucketPolicy on ${BUCKET}: no bucket policy`],
      fix: `Add a bucket policy denying every request without TLS:\naws s3api put-bucket-policy --bucket ${BUCKET} --policy '{"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::${BUCKET}","arn:aws:s3:::${BUCKET}/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}'`,
      method: "api",
    },
    {
      id: "bucket-no-expiry",
      area: "bucket",
      severity: "medium",
      control: "S3.13",
      problem: `Nothing in bucket ${BUCKET} ever expires: every file Census staged, customer data included, is kept until someone deletes it.`,
      evidence: [`GetBucketLifecycleConfiguration on ${BUCKET}: no lifecycle configuration`],
      fix: lifecycleFix,
      method: "api",
    },
    {
      id: "bucket-incomplete-uploads-kept",
      area: "bucket",
      severity: "low",
      problem: `Bucket ${BUCKET} keeps the parts of incomplete multipart uploads forever: stored and billed, listed nowhere.`,
      evidence: [`GetBucketLifecycleConfiguration on ${BUCKET}: no lifecycle configuration`],
      fix: lifecycleFix,
      method: "api",
    },
  ]);

  await applyFixes(result);
  const after = await audit();
  expect(after.findings).toEqual([]);
  expect(after.passed).toHaveLength(7);
});

test("a bucket as the stack makes it passes, each setting a line", async () => {
  await createBucket(REGION, BUCKET);
  await hardenBucket(REGION, BUCKET);
  const result = await audit();

  expect(result.findings).toEqual([]);
  expect(result.skipped).toBeUndefined();
  expect(result.passed).toEqual(hardenedBucketPassed(BUCKET, REGION));
});

test("the fixes keep what the bucket has: its policy statements and its lifecycle rules", async () => {
  await createBucket(REGION, BUCKET);
  await hardenBucket(REGION, BUCKET);
  const read = { Sid: "AuditorsRead", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${MOTO_ACCOUNT_ID}:root` }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*` };
  await send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: JSON.stringify({ Version: "2012-10-17", Statement: [read] }) }));
  await putLifecycle([{ ID: "archive-logs", Status: "Enabled", Filter: { Prefix: "logs/" }, Expiration: { Days: 30 } }]);

  const result = await audit();

  expect(ids(result)).toEqual(["bucket-tls-not-required", "bucket-no-expiry", "bucket-incomplete-uploads-kept"]);
  const [tls, expiry] = result.findings;
  expect(tls!.evidence).toEqual([
    `GetBucketPolicy on ${BUCKET}: no Deny statement for every principal and s3:* on arn:aws:s3:::${BUCKET} and arn:aws:s3:::${BUCKET}/* when aws:SecureTransport is false`,
  ]);
  expect(tls!.fix.split("\n")[0]).toBe("Put back the bucket policy with its statements and one more, denying every request without TLS:");
  expect(expiry!.evidence).toEqual([
    `GetBucketLifecycleConfiguration on ${BUCKET}: lifecycle rule "archive-logs" (Enabled): expire after 30 days, on only objects matching {"Prefix":"logs/"}`,
  ]);
  expect(expiry!.fix.split("\n")[0]).toBe(
    `A lifecycle configuration is replaced as a whole: this command keeps the bucket's existing rule ("archive-logs") as it is and adds "expire-staged-files", which expires staged files 7 days after they were written (census-pinpoint's default) and aborts incomplete uploads after 1 day:`,
  );

  await applyFixes(result);
  expect((await audit()).findings).toEqual([]);
  const policy = JSON.parse(((await send(new GetBucketPolicyCommand({ Bucket: BUCKET }))) as { Policy: string }).Policy);
  expect(policy.Statement.map((statement: { Sid: string }) => statement.Sid)).toEqual(["AuditorsRead", "DenyInsecureTransport"]);
  const { Rules } = (await send(new GetBucketLifecycleConfigurationCommand({ Bucket: BUCKET }))) as { Rules: LifecycleRule[] };
  expect(Rules.map((rule) => rule.ID)).toEqual(["archive-logs", "expire-staged-files"]);
});

test("an expiry of the user's own stays: the fix for incomplete uploads adds the abort alone", async () => {
  await createBucket(REGION, BUCKET);
  await hardenBucket(REGION, BUCKET);
  await putLifecycle([{ ID: "keep-a-month", Status: "Enabled", Filter: {}, Expiration: { Days: 30 } }]);

  const result = await audit();

  expect(result.passed).toContain(`In ${BUCKET} every object expires 30 days after it was written (lifecycle rule "keep-a-month")`);
  expect(ids(result)).toEqual(["bucket-incomplete-uploads-kept"]);
  expect(result.findings[0]!.fix).toBe(
    `A lifecycle configuration is replaced as a whole: this command keeps the bucket's existing rule ("keep-a-month") as it is and adds "expire-staged-files", which aborts incomplete uploads after 1 day:\n` +
      `aws s3api put-bucket-lifecycle-configuration --bucket ${BUCKET} --lifecycle-configuration '{"Rules":[{"Status":"Enabled","Expiration":{"Days":30},"ID":"keep-a-month","Filter":{}},{"ID":"expire-staged-files","Status":"Enabled","Filter":{},"AbortIncompleteMultipartUpload":{"DaysAfterInitiation":1}}]}'`,
  );
});

test("a disabled rule, or one for part of the bucket, does not count", async () => {
  await createBucket(REGION, BUCKET);
  await hardenBucket(REGION, BUCKET);
  await putLifecycle([
    { ID: "expire-staged-files", Status: "Disabled", Filter: {}, Expiration: { Days: 7 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
    { ID: "tagged", Status: "Enabled", Filter: { Tag: { Key: "kind", Value: "segment" } }, Expiration: { Days: 7 } },
  ]);

  const result = await audit();

  expect(ids(result)).toEqual(["bucket-no-expiry", "bucket-incomplete-uploads-kept"]);
  expect(result.findings[0]!.fix).toContain(`keeps the bucket's 2 existing rules ("expire-staged-files", "tagged") as they are and adds "expire-staged-files-2"`);
  await applyFixes(result);
  expect((await audit()).findings).toEqual([]);
});

test("a bucket in another region than the project: a finding naming both and a bucket to make; its settings are read where it is", async () => {
  await createBucket("eu-west-2", BUCKET);
  await hardenBucket("eu-west-2", BUCKET);
  const result = await audit();

  expect(result.findings).toEqual([
    {
      id: "bucket-wrong-region",
      area: "bucket",
      severity: "high",
      problem: `Bucket ${BUCKET} is in eu-west-2, not in ${REGION} where Pinpoint project ${PROJECT_ID} is: Pinpoint imports only from a bucket in the project's region.`,
      evidence: [`HeadBucket on ${BUCKET}: BucketRegion=eu-west-2`],
      fix:
        `Stage in a bucket in ${REGION} and give its name to Census. census-pinpoint setup makes one with every setting this audit looks at:\n` +
        `census-pinpoint setup --region ${REGION} --project-id ${PROJECT_ID}\n` +
        `Or create one by hand:\n` +
        `aws s3api create-bucket --bucket ${defaultBucketName(MOTO_ACCOUNT_ID, REGION, PROJECT_ID)} --region ${REGION} --create-bucket-configuration LocationConstraint=${REGION}`,
      method: "api",
    },
  ]);
  expect(result.passed).toHaveLength(6);
});

/** The administrator becomes a moto user allowed everything but `denied`, with IAM enforcement on. */
async function adminDenied(action: string): Promise<void> {
  const iam = new IAMClient({ region: REGION, credentials: DUMMY_CREDENTIALS });
  await iam.send(new CreateUserCommand({ UserName: "auditor" }));
  const everythingBut = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }, { Effect: "Deny", Action: action, Resource: "*" }] };
  await iam.send(new PutUserPolicyCommand({ UserName: "auditor", PolicyName: "all-but-one", PolicyDocument: JSON.stringify(everythingBut) }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "auditor" }));
  iam.destroy();
  process.env.AWS_ACCESS_KEY_ID = AccessKey!.AccessKeyId!;
  process.env.AWS_SECRET_ACCESS_KEY = AccessKey!.SecretAccessKey!;
  await moto.enforceIam(true);
}

test("no such bucket: the area is skipped, saying why", async () => {
  expect(await audit()).toMatchObject({ findings: [], passed: [], skipped: `There is no bucket ${BUCKET} (S3 HeadBucket: 404 Not Found).` });
});

test("a bucket these credentials may not see: the area is skipped, naming the permission and the other possible cause", async () => {
  await createBucket(REGION, BUCKET);
  // moto authorizes HeadBucket as "s3:HeadBucket"; AWS, as s3:ListBucket.
  await adminDenied("s3:HeadBucket");
  expect(await audit()).toMatchObject({
    findings: [],
    passed: [],
    skipped: `S3 refused HeadBucket on ${BUCKET} (HTTP 403): these credentials may not s3:ListBucket on it, or it belongs to another AWS account.`,
  });
});

test("SSE-KMS: the AWS managed key and a key of the bucket's region pass; a key of another region is a finding", async () => {
  await createBucket(REGION, BUCKET);
  await hardenBucket(REGION, BUCKET);
  const encrypt = (KMSMasterKeyID?: string) =>
    send(
      new PutBucketEncryptionCommand({
        Bucket: BUCKET,
        ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID }, BucketKeyEnabled: true }] },
      }),
    );
  const key = (region: string) => `arn:aws:kms:${region}:${MOTO_ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

  await encrypt();
  expect((await audit()).passed).toContain(`${BUCKET} encrypts new objects with SSE-KMS under the AWS managed key aws/s3`);

  await encrypt(key(REGION));
  expect((await audit()).passed).toContain(
    `${BUCKET} encrypts new objects with SSE-KMS key ${key(REGION)} (that the key is enabled was not read: \`aws kms describe-key --key-id ${key(REGION)} --region ${REGION}\` shows its KeyState)`,
  );

  await encrypt(key("us-east-1"));
  const result = await audit();
  expect(ids(result)).toEqual(["bucket-kms-key-other-region"]);
  expect(result.findings[0]).toMatchObject({
    severity: "high",
    problem: `Bucket ${BUCKET} in ${REGION} encrypts with KMS key ${key("us-east-1")}, which is in us-east-1: S3 uses only keys of the bucket's region, so uploads to the bucket fail.`,
    evidence: [`GetBucketEncryption on ${BUCKET}: SSEAlgorithm=aws:kms, KMSMasterKeyID=${key("us-east-1")}`],
  });
});

test("a stack's bucket: the fix names setup first, which puts the stack's setting back", async () => {
  await createBucket(REGION, BUCKET);
  await hardenBucket(REGION, BUCKET);
  await send(new PutBucketOwnershipControlsCommand({ Bucket: BUCKET, OwnershipControls: { Rules: [{ ObjectOwnership: "ObjectWriter" }] } }));
  const stack = `${REGION}-${PROJECT_ID}`;

  const result = await audit({ stackName: stack, census: { kind: "stack", userName: "census-pinpoint-01234567", accessKeyId: "AKIAI44QH8DHBEXAMPLE" } });

  expect(ids(result)).toEqual(["bucket-acls-enabled"]);
  expect(result.findings[0]!.evidence).toEqual([`GetBucketOwnershipControls on ${BUCKET}: ObjectOwnership=ObjectWriter`]);
  expect(result.findings[0]!.fix).toBe(
    `Stack ${stack} sets this, and setup puts it back:\n` +
      `census-pinpoint setup --region ${REGION} --project-id ${PROJECT_ID}\n` +
      `Or by hand (disable ACLs):\n` +
      `aws s3api put-bucket-ownership-controls --bucket ${BUCKET} --ownership-controls '{"Rules":[{"ObjectOwnership":"BucketOwnerEnforced"}]}'`,
  );
});

test("settings S3 will not show these credentials are named as not audited; the others are still judged", async () => {
  await createBucket(REGION, BUCKET);
  await adminDenied("s3:GetBucketPolicy");

  const result = await audit();

  expect(ids(result)).not.toContain("bucket-tls-not-required");
  expect(ids(result)).toContain("bucket-no-expiry");
  expect(result.skipped).toMatch(new RegExp(`^S3 refused to show these settings of ${BUCKET}, so they were not audited: GetBucketPolicy \\(s3:GetBucketPolicy\\): `));
});
