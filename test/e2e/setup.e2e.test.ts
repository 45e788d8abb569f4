// `census-pinpoint setup` as a user runs it: the built CLI in a pseudo-terminal or with pipes, against
// moto, provisioning through the real Pulumi CLI and the moto-backed test provider.
import { HeadBucketCommand, GetBucketLifecycleConfigurationCommand, GetPublicAccessBlockCommand, ListBucketsCommand } from "@aws-sdk/client-s3";
import { GetRoleCommand, ListAccessKeysCommand, ListGroupsForUserCommand, ListRolesCommand, ListUsersCommand } from "@aws-sdk/client-iam";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { MINIMUM_PULUMI_VERSION } from "../../wizard/pulumi/requirements.js";
import { runInPty, runPiped, useE2e, type PtySession } from "./harness.js";

const REGION = "us-east-1";
const ACCOUNT = "123456789012";
/** Census's connection form, in its order. */
const CENSUS_FIELDS = ["Access Key ID", "Secret Key", "Pinpoint Project ID", "S3 Staging Bucket Name", "Importer Role ARN", "AWS Region"];

const e2e = useE2e();
let projectId: string;

beforeEach(async () => {
  await e2e.reset();
  projectId = await e2e.createPinpointProject(REGION, "Marketing");
});

/** Region (the first choice), the project from the list, no customization. */
async function answerInputs(session: PtySession): Promise<void> {
  await session.waitFor(/AWS region of your Pinpoint project/);
  session.key("enter");
  await session.waitFor(/❯ Marketing \(/);
  session.key("enter");
  await session.waitFor(/Customize names and expiry\?/);
  session.type("n");
  session.key("enter");
}

/** The value printed after a field's label in the summary. */
function field(screen: string, label: string): string {
  const match = new RegExp(`^${label}\\s{2,}(\\S+)`, "m").exec(screen);
  if (!match) throw new Error(`no "${label}" line in:\n${screen}`);
  return match[1]!;
}

/** `confirm`: answer the final question; a run whose preview changes nothing asks none. */
async function interactiveSetup({ confirm = true } = {}): Promise<{ code: number; screen: string }> {
  const session = runInPty(["setup"], e2e.env());
  await answerInputs(session);
  if (confirm) {
    await session.waitFor(/Proceed\?/);
    session.type("y");
    session.key("enter");
  }
  const code = await session.exit(60_000);
  return { code, screen: session.screen };
}

test("the wizard creates everything, prints Census's six values once, and a second run changes nothing", async () => {
  const first = await interactiveSetup();
  expect(first.code).toBe(0);
  const summaryAt = first.screen.lastIndexOf("Access Key ID");
  const summary = first.screen.slice(summaryAt);
  const positions = CENSUS_FIELDS.map((label) => summary.indexOf(label));
  expect(positions.every((at) => at >= 0)).toBe(true);
  expect(positions).toEqual([...positions].sort((a, b) => a - b));
  expect(summary).toContain("Paste these into Census");

  const accessKeyId = field(summary, "Access Key ID");
  const secret = field(summary, "Secret Key");
  const bucket = `census-pinpoint-staging-${projectId.slice(0, 8)}-${ACCOUNT}-${REGION}`;
  const roleName = `CensusPinpointSegmentImporter-${projectId.slice(0, 8)}`;
  const userName = `census-pinpoint-${projectId.slice(0, 8)}`;
  expect(accessKeyId).toMatch(/^AKIA[A-Z0-9]{16}$/);
  expect(secret).toHaveLength(40);
  expect(first.screen.split(secret)).toHaveLength(2);
  expect(field(summary, "Pinpoint Project ID")).toBe(projectId);
  expect(field(summary, "S3 Staging Bucket Name")).toBe(bucket);
  expect(field(summary, "Importer Role ARN")).toBe(`arn:aws:iam::${ACCOUNT}:role/${roleName}`);
  expect(field(summary, "AWS Region")).toBe(REGION);

  const { s3, iam } = e2e.aws(REGION);
  await expect(s3.send(new HeadBucketCommand({ Bucket: bucket }))).resolves.toBeDefined();
  const lifecycle = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
  expect(lifecycle.Rules?.[0]?.Expiration?.Days).toBe(7);
  const { PublicAccessBlockConfiguration: publicAccess } = await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
  expect(publicAccess).toMatchObject({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
  const { Role } = await iam.send(new GetRoleCommand({ RoleName: roleName }));
  const trust = JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!));
  expect(trust.Statement[0].Principal).toEqual({ Service: "pinpoint.amazonaws.com" });
  const app = `arn:aws:mobiletargeting:${REGION}:${ACCOUNT}:apps/${projectId}`;
  expect(trust.Statement[0].Condition.ArnLike["aws:SourceArn"]).toEqual([app, `${app}/*`]);
  const { Groups } = await iam.send(new ListGroupsForUserCommand({ UserName: userName }));
  expect(Groups?.map((group) => group.GroupName)).toEqual([`${userName}-group`]);
  const { AccessKeyMetadata } = await iam.send(new ListAccessKeysCommand({ UserName: userName }));
  expect(AccessKeyMetadata?.map((key) => key.AccessKeyId)).toEqual([accessKeyId]);

  const second = await interactiveSetup({ confirm: false });
  expect(second.code).toBe(0);
  expect(second.screen).toMatch(/Stack us-east-1-[0-9a-f]{32} is as it should be in AWS: this update changes nothing\./);
  expect(second.screen).not.toContain("Proceed?");
  expect(second.screen).toMatch(/No changes: stack us-east-1-[0-9a-f]{32} was already up to date/);
  expect(field(second.screen.slice(second.screen.lastIndexOf("Access Key ID")), "Access Key ID")).toBe(accessKeyId);
  expect((await iam.send(new ListAccessKeysCommand({ UserName: userName }))).AccessKeyMetadata).toHaveLength(1);
}, 90_000);

describe("without a Pulumi CLI", () => {
  async function expectNothingCreated(): Promise<void> {
    const { s3, iam } = e2e.aws(REGION);
    expect((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    expect((await iam.send(new ListUsersCommand({}))).Users ?? []).toEqual([]);
    expect((await iam.send(new ListRolesCommand({}))).Roles ?? []).toEqual([]);
  }

  test("the wizard offers to install it; declined, it says how to install and exits 4 having created nothing", async () => {
    const session = runInPty(["setup"], e2e.env({ pulumi: false }));
    await answerInputs(session);
    await session.waitFor(/Pulumi CLI was not found\. Download and install it now\?/);
    session.type("n");
    session.key("enter");
    expect(await session.exit()).toBe(4);
    const afterAnswer = session.screen.slice(session.screen.lastIndexOf("install it now?"));
    expect(afterAnswer).toContain("https://get.pulumi.com");
    expect(afterAnswer).toContain(`${MINIMUM_PULUMI_VERSION} or newer`);
    await expectNothingCreated();
  }, 60_000);
});

test("--no-input --json through pipes: one JSON document on stdout, progress on stderr, exit 0", async () => {
  const { stdout, stderr, code } = await runPiped(
    ["setup", "--no-input", "--json", "--region", REGION, "--project-id", projectId, "--yes"],
    e2e.env(),
  );
  expect({ code, stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  const document = JSON.parse(stdout);
  expect(stdout.trim().startsWith("{") && stdout.trim().endsWith("}")).toBe(true);
  expect(document).toMatchObject({
    accessKeyId: expect.stringMatching(/^AKIA/),
    secretAccessKey: expect.any(String),
    pinpointProjectId: projectId,
    stagingBucketName: `census-pinpoint-staging-${projectId.slice(0, 8)}-${ACCOUNT}-${REGION}`,
    importerRoleArn: `arn:aws:iam::${ACCOUNT}:role/CensusPinpointSegmentImporter-${projectId.slice(0, 8)}`,
    awsRegion: REGION,
    changed: true,
  });
  expect(stderr).toContain(`created S3 bucket census-pinpoint-staging-${projectId.slice(0, 8)}-${ACCOUNT}-${REGION}`);
  expect(stderr).not.toContain(document.secretAccessKey);
  // No TTY: no spinner frames, no prompts.
  expect(stderr).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]|\?\s.*\(y\/N\)/);
}, 60_000);

test("Ctrl-C during provisioning: the update stops after the step in flight, exit 130 names the command that resumes, and that command finishes the job", async () => {
  const session = runInPty(
    ["setup", "--yes", "--skip-verify", "--region", REGION, "--project-id", projectId],
    // Each changing step of the test provider waits, so the Ctrl-C lands in the middle of the update.
    e2e.env({ extra: { CENSUS_TEST_PROVIDER_DELAY_MS: "300" } }),
  );
  await session.waitFor(/Customize names and expiry\?/);
  session.key("enter");
  await session.waitFor(/creating /, 30_000);
  // The terminal delivers SIGINT to the whole foreground group: the CLI and the pulumi it runs.
  session.key("ctrl-c");
  expect(await session.exit(45_000)).toBe(130);
  // The terminal is 120 columns wide: the message is wrapped at words, read here as one text.
  const afterInterrupt = session.screen.slice(session.screen.lastIndexOf("was interrupted")).replace(/\s*\n\s*/g, " ");
  expect(afterInterrupt).toMatch(/^was interrupted; resources it was changing may be half-done\./);
  const resume = /Run `census-pinpoint (setup [^`]+)` to resume where it stopped\./.exec(afterInterrupt)?.[1];
  expect(resume).toBeDefined();
  const { iam } = e2e.aws(REGION);
  const userName = `census-pinpoint-${projectId.slice(0, 8)}`;
  const keysOf = async () => (await iam.send(new ListAccessKeysCommand({ UserName: userName })).catch(() => ({ AccessKeyMetadata: [] }))).AccessKeyMetadata ?? [];
  expect(await keysOf()).toEqual([]);

  const resumed = await runPiped(resume!.split(" "), e2e.env(), { timeoutMs: 45_000 });
  expect({ code: resumed.code, stderr: resumed.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  expect(resumed.stdout).toContain("Access Key ID");
  expect(await keysOf()).toHaveLength(1);
}, 90_000);

test("a run that failed half-way (the bucket made, the role refused) converges when run again", async () => {
  const args = ["setup", "--no-input", "--yes", "--skip-verify", "--region", REGION, "--project-id", projectId];
  const failing = await runPiped(args, e2e.env({ extra: { CENSUS_TEST_PROVIDER_FAIL: "census-pinpoint-importer-role=Throttling: Rate exceeded" } }), { timeoutMs: 45_000 });
  expect(failing.code).toBe(4);
  expect(failing.stderr).toContain("Could not create census-pinpoint-importer-role");
  expect(failing.stderr).toContain("Throttling: Rate exceeded");
  const { s3, iam } = e2e.aws(REGION);
  const bucket = `census-pinpoint-staging-${projectId.slice(0, 8)}-${ACCOUNT}-${REGION}`;
  await expect(s3.send(new HeadBucketCommand({ Bucket: bucket }))).resolves.toBeDefined();

  const again = await runPiped(args, e2e.env(), { timeoutMs: 45_000 });
  expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  expect(again.stdout).toContain("Access Key ID");
  const { Role } = await iam.send(new GetRoleCommand({ RoleName: `CensusPinpointSegmentImporter-${projectId.slice(0, 8)}` }));
  expect(Role).toBeDefined();
}, 90_000);

test("Ctrl-C at the first question exits 130 with one line and creates nothing", async () => {
  const session = runInPty(["setup"], e2e.env());
  await session.waitFor(/AWS region of your Pinpoint project/);
  session.key("ctrl-c");
  expect(await session.exit()).toBe(130);
  // The prompt erases itself; what stays after it is the one line.
  const lines = session.screen.split("\n").map((line) => line.trim()).filter((line) => line !== "");
  expect(lines.at(-1)).toBe("✖ Cancelled.");
  expect(session.screen.match(/Cancelled/g)).toHaveLength(1);
  const { s3 } = e2e.aws(REGION);
  expect((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
  expect(existsSync(join(e2e.home, "workspaces"))).toBe(false);
}, 60_000);
