// Issue 12's whole path on the real engine, with a setup made exactly as Census's guide says (moto
// with AWS managed policies loaded): audit names what is wrong with it; adopt puts it under a stack
// without an outage; retire removes the old key and role (and nothing else of the person whose user
// held the key); audit of the stack then comes back clean, with the same bucket and the same files.
import { GetObjectCommand, ListBucketsCommand, PutBucketPolicyCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { GetLoginProfileCommand, GetRoleCommand, ListAccessKeysCommand, ListAttachedUserPoliciesCommand, ListUserPoliciesCommand } from "@aws-sdk/client-iam";
import { join } from "node:path";
import { tlsOnlyBucketPolicy } from "../../infra/policies.js";
import { buildGuideSetup, GUIDE_MOTO_ENV, PERSON_INLINE_POLICY_NAME, S3_FULL_ACCESS_ARN } from "../helpers/guideSetup.js";
import { writeAwsProfiles } from "../helpers/moto.js";
import { runPiped, useE2e } from "./harness.js";

const REGION = "eu-west-1";
const BUCKET = "acme-census-staging";
const e2e = useE2e({ motoEnv: GUIDE_MOTO_ENV });

interface Finding {
  id: string;
  severity: string;
  control?: string;
  method: string;
}

test("audit → adopt → retire → audit: the guide's setup ends clean, on the same bucket with the same files, and the person keeps what is theirs", async () => {
  const projectId = await e2e.createPinpointProject(REGION, "Marketing");
  const { s3, iam } = e2e.aws(REGION);
  const guide = await buildGuideSetup({ iam, s3 }, { bucketName: BUCKET, region: REGION, otherBuckets: ["acme-finance-exports", "acme-hr-records"] });
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "census/segment-1.csv", Body: "id\n1\n" }));
  const credentialsFile = join(e2e.home, "..", "aws-credentials");
  writeAwsProfiles(credentialsFile, { "census-old": guide.censusKey });
  const env = e2e.env({ extra: { AWS_SHARED_CREDENTIALS_FILE: credentialsFile } });
  const handMade = ["--region", REGION, "--project-id", projectId, "--bucket", BUCKET, "--role-arn", guide.roleArn, "--key-profile", "census-old"];

  const before = await runPiped(["audit", "--json", ...handMade], env, { timeoutMs: 60_000 });
  expect({ code: before.code, stderr: before.stderr }).toEqual({ code: 5, stderr: expect.any(String) });
  const findings = (JSON.parse(before.stdout) as { findings: Finding[] }).findings;
  const ids = findings.map((finding) => finding.id);
  expect(ids).toEqual(
    expect.arrayContaining([
      "role-trust-unconditioned",
      "census-user-direct-policies",
      "census-key-shared-with-person",
      "bucket-no-expiry",
      "bucket-tls-not-required",
    ]),
  );
  expect(ids.some((id) => id.startsWith("role-policy-"))).toBe(true);
  expect(before.stdout).toContain("read all 3 buckets of this account");
  // moto has no policy simulator: every IAM finding says it was reached by reading the policies.
  expect(findings.filter((finding) => finding.id.startsWith("role-policy-")).map((finding) => finding.method)).toEqual(["policy-read"]);

  const adopted = await runPiped(["adopt", "--no-input", "--yes", "--json", "--region", REGION, "--project-id", projectId, "--existing-bucket", BUCKET], env, { timeoutMs: 120_000 });
  expect({ code: adopted.code, stderr: adopted.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  const values = JSON.parse(adopted.stdout) as { stagingBucketName: string; importerRoleArn: string; accessKeyId: string; adopted: { retireCommand: string } };
  expect(values.stagingBucketName).toBe(BUCKET);
  expect(values.adopted.retireCommand).toContain(`census-pinpoint retire --region ${REGION} --project-id ${projectId}`);

  const retired = await runPiped(
    ["retire", "--no-input", "--yes", "--json", "--region", REGION, "--project-id", projectId, "--role-arn", guide.roleArn, "--key-profile", "census-old"],
    env,
    { timeoutMs: 120_000 },
  );
  expect({ code: retired.code, stderr: retired.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  // The re-audit's one finding is the test provider's, not the stack's: it keeps the TLS-only bucket
  // policy in the state and never sends it to moto, which would enforce its Deny without its condition
  // (docs/testing.md). Everything else the guide got wrong is gone.
  const retirement = JSON.parse(retired.stdout) as { audit?: { findings: Finding[] } };
  expect(retirement.audit?.findings.map((finding) => finding.id)).toEqual(["bucket-tls-not-required"]);

  // The old role is gone; the person keeps their user, console access, own key and own policies.
  await expect(iam.send(new GetRoleCommand({ RoleName: guide.roleName }))).rejects.toMatchObject({ name: "NoSuchEntityException" });
  const keys = await iam.send(new ListAccessKeysCommand({ UserName: guide.userName }));
  expect(keys.AccessKeyMetadata?.map((key) => key.AccessKeyId)).toEqual([guide.personalKey.accessKeyId]);
  await expect(iam.send(new GetLoginProfileCommand({ UserName: guide.userName }))).resolves.toBeDefined();
  expect((await iam.send(new ListUserPoliciesCommand({ UserName: guide.userName }))).PolicyNames).toEqual([PERSON_INLINE_POLICY_NAME]);
  expect((await iam.send(new ListAttachedUserPoliciesCommand({ UserName: guide.userName }))).AttachedPolicies?.map((policy) => policy.PolicyArn)).toEqual([S3_FULL_ACCESS_ARN]);

  expect(((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((bucket) => bucket.Name).sort()).toEqual(["acme-census-staging", "acme-finance-exports", "acme-hr-records"]);
  const staged = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: "census/segment-1.csv" }));
  expect(await staged.Body!.transformToString()).toBe("id\n1\n");

  // What the AWS provider writes for the stack's bucket policy (the same function builds it), and then
  // the audit of the stack is clean.
  await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: JSON.stringify(tlsOnlyBucketPolicy({ partition: "aws", bucketName: BUCKET })) }));
  const after = await runPiped(["audit", "--stack", `${REGION}-${projectId}`], env, { timeoutMs: 60_000 });
  expect({ code: after.code, stdout: after.stdout }).toEqual({ code: 0, stdout: expect.stringContaining("No findings") });
}, 400_000);
