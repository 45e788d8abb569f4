// `census-pinpoint audit` as a user runs it, against moto_server with AWS managed policies loaded: a
// setup built exactly as Census's guide says, named by flags (no Pulumi CLI), and a stack's, read from
// the fake Pulumi CLI's outputs.
import { join } from "node:path";
import { CreateAppCommand, PinpointClient } from "@aws-sdk/client-pinpoint";
import type { PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import { EXIT } from "../../wizard/errors.js";
import { lastErrorLine } from "../helpers/cliIo.js";
import { FakePulumi } from "../helpers/fakePulumi.js";
import { buildGuideSetupAsOwner, GUIDE_MOTO_ENV, type GuideSetup } from "../helpers/guideSetup.js";
import { pulumiThatMustNotRun, runOnProcessEnv } from "../helpers/handMadeRun.js";
import { BARE_BUCKET_FINDINGS, hardenBucket, hardenedBucketPassed } from "../helpers/hardenedBucket.js";
import { DUMMY_CREDENTIALS, useCredentialsFile, useMoto } from "../helpers/moto.js";
import { createMotoStaging, stagingStackOutputs, type MotoStaging } from "../helpers/motoStaging.js";

const REGION = "eu-west-1";
const BUCKET = "census-pinpoint-staging-guide";
const moto = useMoto({ env: GUIDE_MOTO_ENV });
let guide: GuideSetup;
let projectId: string;

beforeEach(async () => {
  guide = await buildGuideSetupAsOwner({ bucketName: BUCKET, region: REGION, otherBuckets: ["payroll-exports"] });
  const pinpoint = new PinpointClient({ region: REGION, credentials: DUMMY_CREDENTIALS });
  try {
    const { ApplicationResponse } = await pinpoint.send(new CreateAppCommand({ CreateApplicationRequest: { Name: "Marketing" } }));
    projectId = ApplicationResponse!.Id!;
  } finally {
    pinpoint.destroy();
  }
  // The administrator is moto's default identity; the Census key is in profile "census".
  useCredentialsFile(moto.aws, { default: DUMMY_CREDENTIALS, census: guide.censusKey });
});

const run = (argv: string[], pulumiCommand = pulumiThatMustNotRun("the hand-made mode")) => runOnProcessEnv(argv, pulumiCommand);

const byFlags = (...extra: string[]) => ["audit", "--region", REGION, "--project-id", projectId, "--bucket", BUCKET, "--role-arn", guide.roleArn, "--key-profile", "census", ...extra];

interface Report {
  ok: boolean;
  verdict: string;
  subject: Record<string, string>;
  areas: Array<{ area: string; findings: Array<{ id: string }>; passed: string[]; skipped?: string }>;
  findings: Array<{ id: string; severity: string; area: string; fix: string }>;
}

const area = (report: Report, name: string) => report.areas.find((entry) => entry.area === name)!;

describe("a setup made by hand, named by flags", () => {
  test("the guide's setup: each bucket finding with its fix under the area, the verdict last; exit 5 without the Pulumi CLI", async () => {
    const result = await run(byFlags());

    expect(result.code).toBe(EXIT.verification);
    const lines = result.stdout.split("\n");
    expect(lines.slice(0, 2)).toEqual([`Audit of a setup made by hand: Pinpoint project ${projectId}`, `in ${REGION}`]);
    const bucket = lines.slice(lines.indexOf("Staging bucket"), lines.indexOf("Pinpoint project"));
    expect(bucket.filter((line) => /^[✔✘–]/.test(line))).toEqual([
      `✔ Bucket ${BUCKET} is in ${REGION}, the Pinpoint project's`,
      `✘ [high, S3.8] Bucket ${BUCKET} does not block public access`,
      `✘ [medium, S3.12] Bucket ${BUCKET} still honours ACLs`,
      `✘ [medium] Bucket ${BUCKET} has no default encryption:`,
      `✘ [medium, S3.5] Bucket ${BUCKET} accepts requests without`,
      `✘ [medium, S3.13] Nothing in bucket ${BUCKET} ever expires:`,
      `✘ [low] Bucket ${BUCKET} keeps the parts of incomplete`,
    ]);
    expect(bucket).toContain(`      aws s3api put-public-access-block --bucket ${BUCKET} --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`);
    expect(bucket.filter((line) => line === "    How it was found: AWS API")).toHaveLength(6);
    expect(lines.slice(lines.indexOf("Pinpoint project"), lines.indexOf("Pinpoint project") + 3)).toEqual([
      "Pinpoint project",
      `✔ Pinpoint project ${projectId} ("Marketing") answers in`,
      `  ${REGION}`,
    ]);
    const verdict = lines.filter(Boolean).at(-1)!;
    expect(verdict).toMatch(/^\d+ findings: \d+ high, \d+ medium, 1 low\.$/);
    expect(lastErrorLine(result.stderr)).toBe(verdict);
    expect(result.stderr).toContain(`\n  Under each ✘ is its fix; then run census-pinpoint audit again.\n`);
    expect(result.stderr).toContain(`› Reading the settings of bucket ${BUCKET}\n`);
  });

  test("--json: one document with every finding's id, worst first, and the verdict counting them", async () => {
    const result = await run(byFlags("--json"));

    expect(result.code).toBe(EXIT.verification);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.ok).toBe(false);
    expect(report.subject).toEqual({ region: REGION, projectId, bucketName: BUCKET, importerRoleArn: guide.roleArn, census: 'the access key in AWS profile "census"' });
    expect(report.areas.map((entry) => entry.area)).toEqual(["importer-role", "census-identity", "bucket", "pinpoint-project"]);
    expect(area(report, "bucket").findings.map((finding) => finding.id)).toEqual(BARE_BUCKET_FINDINGS);
    expect(report.findings.map((finding) => finding.id)).toEqual(expect.arrayContaining(["role-trust-unconditioned", "role-policy-every-bucket", ...BARE_BUCKET_FINDINGS]));
    const ranks = report.findings.map((finding) => ["critical", "high", "medium", "low"].indexOf(finding.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    const count = (severity: string) => report.findings.filter((finding) => finding.severity === severity).length;
    expect(report.verdict).toBe(`${report.findings.length} findings: ${count("high")} high, ${count("medium")} medium, 1 low`);
    expect(lastErrorLine(result.stderr)).toBe(`${report.verdict}.`);
    expect(result.stderr).toContain("\n  Each finding's `fix` says what to do; then run census-pinpoint audit again.\n");
  });

  test("with the bucket hardened as the stack makes it, the bucket passes; --census-user names the holder, --profile the administrator", async () => {
    await hardenBucket(REGION, BUCKET);
    // No default credentials: every read must go through --profile.
    useCredentialsFile(moto.aws, { admin: DUMMY_CREDENTIALS });
    const result = await run(["audit", "--region", REGION, "--project-id", projectId, "--bucket", BUCKET, "--role-arn", guide.roleArn, "--census-user", guide.userName, "--profile", "admin", "--json"]);

    const report = JSON.parse(result.stdout) as Report;
    expect(report.subject.census).toBe(`the access keys of IAM user ${guide.userName}`);
    expect(area(report, "bucket")).toEqual({
      area: "bucket",
      findings: [],
      passed: hardenedBucketPassed(BUCKET, REGION),
    });
    expect(report.findings.some((finding) => finding.area === "bucket")).toBe(false);
  });

  test("a staging bucket that does not exist: the area is not audited, and the verdict says so", async () => {
    const result = await run(["audit", "--region", REGION, "--project-id", projectId, "--bucket", "no-such-staging-bucket", "--role-arn", guide.roleArn, "--key-profile", "census", "--json"]);

    expect(result.code).toBe(EXIT.verification);
    const report = JSON.parse(result.stdout) as Report;
    expect(area(report, "bucket")).toEqual({ area: "bucket", findings: [], passed: [], skipped: "There is no bucket no-such-staging-bucket (S3 HeadBucket: 404 Not Found)." });
    expect(report.verdict).toMatch(/; not fully audited: the staging bucket$/);
    expect(result.stderr).toContain("\n  Each finding's `fix` says what to do; each area's `skipped` says what could not be read; then run census-pinpoint audit again.\n");
  });

  test("no AWS credentials: exit 3 with the usual message, nothing on stdout", async () => {
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(moto.aws.dir, "no-such-credentials");
    const result = await run(["audit", "--region", REGION, "--project-id", projectId, "--bucket", BUCKET, "--role-arn", guide.roleArn, "--census-user", guide.userName]);

    expect(result.code).toBe(EXIT.aws);
    expect(result.stdout).toBe("");
    expect(lastErrorLine(result.stderr)).toBe("No AWS credentials found.");
  });
});

/** A stack as setup leaves it, in the fake Pulumi CLI's backend, over a least-privilege setup in moto. */
async function stackOverMoto(): Promise<{ fake: FakePulumi; stack: string; staging: MotoStaging }> {
  const staging = await createMotoStaging(REGION);
  const stack = `${REGION}-${staging.projectId}`;
  const fake = new FakePulumi();
  fake.stacks.set(stack, {
    config: {},
    history: [],
    outputs: stagingStackOutputs(staging),
  });
  return { fake, stack, staging };
}

describe("a stack, from its outputs", () => {
  beforeEach(() => {
    process.env.PULUMI_CONFIG_PASSPHRASE = "audit-test";
  });
  afterEach(() => {
    delete process.env.PULUMI_CONFIG_PASSPHRASE;
  });

  test("a stack whose setup is in order: exit 0, every area passes, the verdict says so; the secret key is never read", async () => {
    const { fake, stack, staging } = await stackOverMoto();
    await hardenBucket(REGION, staging.bucketName);

    const result = await run(["audit", "--stack", stack], fake as unknown as PulumiCommand);

    expect(result.code).toBe(EXIT.ok);
    expect(result.stdout.split("\n").slice(0, 5)).toEqual([
      `Audit of stack ${stack}: Pinpoint project`,
      `${staging.projectId} in ${REGION}`,
      `  Importer role   ${staging.importerRoleArn}`,
      `  Census's key    access key ${staging.key.accessKeyId} of IAM user ${staging.censusUserName}`,
      `  Staging bucket  ${staging.bucketName}`,
    ]);
    expect(result.stdout).not.toMatch(/^[✘–]/m);
    expect(result.stdout).toMatch(/\n\nNo findings: the importer role, Census's identity, the staging bucket and the\nPinpoint project are in order\.\n$/);
    expect(result.stderr).toContain(`› Reading the outputs of stack ${stack}\n`);
    expect(result.stderr).not.toContain("✖");
    expect(fake.callsTo("stack output").map((call) => call.args)).toEqual([["stack", "output", "--json", "--stack", stack]]);
  });

  test("--json names the stack; a bucket setting changed by hand is a finding whose fix is setup", async () => {
    const { fake, stack, staging } = await stackOverMoto();

    const result = await run(["audit", "--stack", stack, "--json"], fake as unknown as PulumiCommand);

    expect(result.code).toBe(EXIT.verification);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.subject).toEqual({
      region: REGION,
      projectId: staging.projectId,
      bucketName: staging.bucketName,
      importerRoleArn: staging.importerRoleArn,
      census: `access key ${staging.key.accessKeyId} of IAM user ${staging.censusUserName}`,
      stackName: stack,
    });
    expect(area(report, "bucket").findings.map((finding) => finding.id)).toEqual(BARE_BUCKET_FINDINGS);
    // The stack's role and user grant nothing beyond need: the bucket's are the only findings.
    expect(report.findings.map((finding) => finding.id)).toEqual(BARE_BUCKET_FINDINGS);
    expect(lastErrorLine(result.stderr)).toBe("6 findings: 1 high, 4 medium, 1 low.");
    for (const finding of report.findings.filter((entry) => entry.area === "bucket")) {
      expect(finding.fix.split("\n").slice(0, 2)).toEqual([`Stack ${stack} sets this, and setup puts it back:`, `census-pinpoint setup --region ${REGION} --project-id ${staging.projectId}`]);
    }
  });
});
