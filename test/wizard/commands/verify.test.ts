// `census-pinpoint verify` as a user runs it, against a setup built in moto_server: with the Census
// key in a named AWS profile (no Pulumi CLI involved), and from a stack's outputs in a fake backend.
// The profile files are temporary; the real ~/.aws is never read.
import { DeleteAppCommand, PinpointClient } from "@aws-sdk/client-pinpoint";
import type { PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import { EXIT } from "../../../wizard/errors.js";
import { FakePulumi } from "../../helpers/fakePulumi.js";
import { pulumiThatMustNotRun, runOnProcessEnv } from "../../helpers/handMadeRun.js";
import { DUMMY_CREDENTIALS, useCredentialsFile, useMoto } from "../../helpers/moto.js";
import { createMotoAdmin, createMotoStaging, objectKeys, stagingStackOutputs, type MotoStaging } from "../../helpers/motoStaging.js";

const REGION = "eu-west-1";
const moto = useMoto({ resetBeforeEach: false });
let staging: MotoStaging;

/** The Census key as profile "census", the administrator as the default. */
beforeEach(async () => {
  await moto.reset();
  staging = await createMotoStaging(REGION);
  useCredentialsFile(moto.aws, { default: await createMotoAdmin(REGION), census: staging.key });
});

const run = (argv: string[], pulumiCommand = pulumiThatMustNotRun("the --key-profile mode")) => runOnProcessEnv(argv, pulumiCommand);

const byProfile = () => [
  "verify",
  "--region",
  REGION,
  "--project-id",
  staging.projectId,
  "--bucket",
  staging.bucketName,
  "--role-arn",
  staging.importerRoleArn,
  "--key-profile",
  "census",
];

async function deleteProject(): Promise<void> {
  const pinpoint = new PinpointClient({ region: REGION, credentials: DUMMY_CREDENTIALS });
  await pinpoint.send(new DeleteAppCommand({ ApplicationId: staging.projectId }));
  pinpoint.destroy();
}

describe("verify --key-profile (a setup done by hand)", () => {
  test("a working setup: a checklist on stdout, progress on stderr, exit 0, no probe left", async () => {
    const result = await run(byProfile());

    expect(result.code).toBe(EXIT.ok);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe(`Census connection test for Pinpoint project ${staging.projectId} in ${REGION}`);
    expect(lines).toContain(`✔ AWS accepts the access key and it belongs to the Census IAM user (STS GetCallerIdentity): ${staging.censusUserArn}`);
    expect(lines).toContain(`✔ The staging bucket ${staging.bucketName} exists in ${REGION}: s3://${staging.bucketName} in ${REGION}`);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^✔ The key can upload a file to the bucket \\(s3:PutObject\\): s3://${staging.bucketName}/census-pinpoint-verify/`)));
    expect(lines).toContain("✔ The key can delete the file (s3:DeleteObject)");
    expect(lines).toContain(`✔ The key can read Pinpoint project ${staging.projectId} in ${REGION} (mobiletargeting:GetApp): "Marketing"`);
    expect(lines.filter((line) => line.startsWith("– The Census user may"))).toHaveLength(4);
    expect(lines.filter((line) => line.startsWith("✘"))).toEqual([]);
    expect(result.stderr).toContain("› Calling AWS with the Census key");
    expect(`${result.stdout}${result.stderr}`).not.toContain(staging.key.secretAccessKey);
    expect(await objectKeys(REGION, staging.bucketName)).toEqual([]);
  });

  test("--json: exactly one JSON document with every check", async () => {
    const result = await run([...byProfile(), "--json"]);

    expect(result.code).toBe(EXIT.ok);
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({ ok: true, region: REGION, projectId: staging.projectId, bucketName: staging.bucketName, importerRoleArn: staging.importerRoleArn });
    expect(document.checks).toHaveLength(14);
    expect(document.checks[0]).toEqual({
      id: "key-identity",
      status: "passed",
      label: "AWS accepts the access key and it belongs to the Census IAM user (STS GetCallerIdentity)",
      detail: staging.censusUserArn,
    });
    expect(result.stdout).not.toContain(staging.key.secretAccessKey);
  });

  test("a failing check: ✘ with its fix under it, then exit 5 with the count on stderr", async () => {
    await deleteProject();
    const result = await run(byProfile());

    expect(result.code).toBe(EXIT.verification);
    const lines = result.stdout.split("\n");
    const failed = lines.findIndex((line) => line.startsWith("✘"));
    expect(lines[failed]).toBe(
      `✘ The key can read Pinpoint project ${staging.projectId} in ${REGION} (mobiletargeting:GetApp): There is no Pinpoint project ${staging.projectId} in ${REGION} (account 123456789012)`,
    );
    expect(lines[failed + 1]).toMatch(/^ {4}Check the project ID \(Pinpoint console → All projects → Project ID\).*pass the right --project-id and --region/);
    expect(result.stderr).toContain("✖ 1 of 14 checks failed.");
    expect(result.stderr).toContain("Under each ✘ is what to do");
    expect(await objectKeys(REGION, staging.bucketName)).toEqual([]);
  });

  test("--json with a failing check: the document says ok false with the fix, and the exit code is 5", async () => {
    await deleteProject();
    const result = await run([...byProfile(), "--json"]);

    expect(result.code).toBe(EXIT.verification);
    const document = JSON.parse(result.stdout);
    expect(document.ok).toBe(false);
    expect(document.checks.filter((check: { status: string }) => check.status === "failed")).toEqual([
      expect.objectContaining({ id: "pinpoint-project", fix: expect.stringContaining("Project ID") }),
    ]);
    expect(result.stderr).toContain("1 of 14 checks failed.");
  });

  test("a profile without the key fails the identity check, and the key checks are skipped", async () => {
    const argv = byProfile();
    argv[argv.length - 1] = "nobody";
    const result = await run(argv);

    expect(result.code).toBe(EXIT.verification);
    expect(result.stdout).toContain('✘ AWS accepts the access key and it belongs to the Census IAM user (STS GetCallerIdentity): No usable access key in AWS profile "nobody"');
    expect(result.stdout).toContain("    Store the Census user's access key in it: aws configure --profile nobody");
    expect(result.stdout).toContain("– The key can upload a file to the bucket (s3:PutObject): not run: the access key does not work");
  });

  test("the values come all together: a missing one is a usage error naming it (exit 2)", async () => {
    const result = await run(["verify", "--bucket", staging.bucketName, "--key-profile", "census", "--region", REGION]);

    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain("missing: --role-arn, --project-id");
    expect(result.stdout).toBe("");
  });

  test("a malformed role ARN is a usage error", async () => {
    const argv = byProfile();
    argv[argv.indexOf("--role-arn") + 1] = "CensusPinpointSegmentImporter";
    const result = await run(argv);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain('--role-arn: "CensusPinpointSegmentImporter" is not an IAM role ARN.');
  });
});

describe("verify from a stack", () => {
  test("checks the key in the stack's outputs, with the administrator's IAM checks", async () => {
    const fake = new FakePulumi();
    const stack = `${REGION}-${staging.projectId}`;
    fake.stacks.set(stack, {
      config: {},
      history: [],
      outputs: stagingStackOutputs(staging),
    });
    process.env.PULUMI_CONFIG_PASSPHRASE = "verify-test";
    try {
      const result = await run(["verify", "--stack", stack, "--json"], fake as unknown as PulumiCommand);

      expect(result.code).toBe(EXIT.ok);
      const document = JSON.parse(result.stdout);
      expect(document).toMatchObject({ ok: true, stack });
      const status = Object.fromEntries(document.checks.map((check: { id: string; status: string }) => [check.id, check.status]));
      expect(status).toMatchObject({ "key-identity": "passed", "key-active": "passed", "bucket-put": "passed", "pinpoint-project": "passed", "role-conditions": "passed" });
      expect(result.stderr).not.toContain(staging.key.secretAccessKey);
    } finally {
      delete process.env.PULUMI_CONFIG_PASSPHRASE;
    }
  });
});
