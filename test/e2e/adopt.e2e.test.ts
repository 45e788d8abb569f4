// A setup made by hand the way Census's guide says, brought under a stack on the real engine: adopt
// takes over the bucket with its files (Pulumi's import) and makes the least-privilege role, user and
// key beside the old ones, which it leaves as they were.
import { GetBucketLifecycleConfigurationCommand, GetBucketPolicyCommand, PutBucketPolicyCommand, GetBucketTaggingCommand, GetObjectCommand, ListBucketsCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { GetRoleCommand, ListAccessKeysCommand, ListAttachedRolePoliciesCommand, ListRolesCommand } from "@aws-sdk/client-iam";
import { buildGuideSetup, GUIDE_MOTO_ENV, S3_READ_ONLY_ARN } from "../helpers/guideSetup.js";
import { runPiped, useE2e } from "./harness.js";

const REGION = "us-east-2";
const BUCKET = "acme-census-staging";
const e2e = useE2e({ motoEnv: GUIDE_MOTO_ENV });

beforeEach(() => e2e.reset());

function adopt(projectId: string, extra: string[] = []) {
  return runPiped(["adopt", "--no-input", "--yes", "--json", "--region", REGION, "--project-id", projectId, "--existing-bucket", BUCKET, ...extra], e2e.env(), {
    timeoutMs: 120_000,
  });
}

test("adopt takes over the hand-made bucket with its files and makes the new role, user and key beside the old ones, which stay as they were", async () => {
  const projectId = await e2e.createPinpointProject(REGION, "Marketing");
  const { s3, iam } = e2e.aws(REGION);
  const guide = await buildGuideSetup({ iam, s3 }, { bucketName: BUCKET, region: REGION });
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "census/segment-1.csv", Body: "id\n1\n" }));

  const run = await adopt(projectId);
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  const result = JSON.parse(run.stdout);
  expect(result).toMatchObject({ stagingBucketName: BUCKET, pinpointProjectId: projectId, awsRegion: REGION, adopted: { bucketName: BUCKET } });
  expect(result.importerRoleArn).not.toBe(guide.roleArn);
  expect(result.accessKeyId).not.toBe(guide.censusKey.accessKeyId);
  expect(result.verification.checks.every((check: { status: string }) => check.status !== "failed")).toBe(true);

  // The same bucket, its file, and now the stack's settings.
  expect(((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((bucket) => bucket.Name)).toEqual([BUCKET]);
  const staged = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: "census/segment-1.csv" }));
  expect(await staged.Body!.transformToString()).toBe("id\n1\n");
  const lifecycle = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: BUCKET }));
  expect(lifecycle.Rules?.[0]?.Expiration?.Days).toBe(7);
  const tags = await s3.send(new GetBucketTaggingCommand({ Bucket: BUCKET }));
  expect(tags.TagSet).toEqual(expect.arrayContaining([{ Key: "managed-by", Value: "census-pinpoint" }]));

  // What was made by hand is untouched.
  await expect(iam.send(new GetRoleCommand({ RoleName: guide.roleName }))).resolves.toBeDefined();
  const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: guide.roleName }));
  expect(attached.AttachedPolicies?.map((policy) => policy.PolicyArn)).toEqual([S3_READ_ONLY_ARN]);
  const keys = await iam.send(new ListAccessKeysCommand({ UserName: guide.userName }));
  expect(keys.AccessKeyMetadata?.map((key) => key.AccessKeyId).sort()).toEqual([guide.censusKey.accessKeyId, guide.personalKey.accessKeyId].sort());

  // A re-run is an ordinary update of the stack: nothing to change.
  const again = await adopt(projectId);
  expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: expect.stringContaining("this update changes nothing") });
  expect(JSON.parse(again.stdout)).toMatchObject({ changed: false, stagingBucketName: BUCKET });
}, 300_000);

test("a hand-made bucket with a policy of its own stops adopt before anything is created", async () => {
  const projectId = await e2e.createPinpointProject(REGION, "Marketing");
  const { s3, iam } = e2e.aws(REGION);
  await buildGuideSetup({ iam, s3 }, { bucketName: BUCKET, region: REGION });
  const policy = { Version: "2012-10-17", Statement: [{ Sid: "Partner", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*` }] };
  await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: JSON.stringify(policy) }));

  const run = await adopt(projectId);

  expect(run.code).toBe(2);
  expect(run.stderr).toContain(`✖ The S3 bucket "${BUCKET}" has a bucket policy (1 statement): adopting would replace it with census-pinpoint's TLS-only policy.`);
  expect(JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET }))).Policy!)).toEqual(policy);
  const roles = (await iam.send(new ListRolesCommand({}))).Roles ?? [];
  expect(roles.map((role) => role.RoleName)).toEqual(["CensusPinpointImporter"]);
}, 120_000);

test("adopt for a project whose stack already has a bucket of its own is refused: the hand-made bucket is left alone", async () => {
  const projectId = await e2e.createPinpointProject(REGION, "Marketing");
  const { s3, iam } = e2e.aws(REGION);
  const setup = await runPiped(["setup", "--no-input", "--yes", "--skip-verify", "--json", "--region", REGION, "--project-id", projectId], e2e.env(), { timeoutMs: 120_000 });
  expect(setup.code).toBe(0);
  const stackBucket = JSON.parse(setup.stdout).stagingBucketName as string;
  await buildGuideSetup({ iam, s3 }, { bucketName: BUCKET, region: REGION });

  const run = await adopt(projectId);

  expect(run.code).toBe(2);
  expect(run.stderr).toContain(
    `✖ Stack ${REGION}-${projectId} already manages Pinpoint project ${projectId}, with the S3 bucket "${stackBucket}": adopt takes a bucket made by hand into a new stack.`,
  );
  await expect(s3.send(new GetBucketTaggingCommand({ Bucket: BUCKET }))).rejects.toMatchObject({ name: "NoSuchTagSet" });
}, 180_000);
