// `census-pinpoint list` as a user runs it: every stack in the fake backend, the key ages against
// Security Hub's 90 days, and stacks whose outputs cannot be read.
import { EXIT } from "../../../wizard/errors.js";
import { FakePulumi } from "../../helpers/fakePulumi.js";
import { TEST_ACCOUNT_ID, TEST_PROJECT_ID } from "../../helpers/pulumiMocks.js";
import { STACK, useTempHome } from "../pulumi/setup.js";
import { daysAgo, OTHER_PROJECT_ID, runCli, seedStack } from "./dayTwo.js";

const temp = useTempHome();
const OLD_STACK = `eu-west-1-${OTHER_PROJECT_ID}`;

/** Two stacks: one with a 12-day-old key, one with a 120-day-old key. */
async function twoStacks(): Promise<FakePulumi> {
  const fake = new FakePulumi();
  await seedStack(fake, temp.env);
  await seedStack(fake, temp.env, { region: "eu-west-1", projectId: OTHER_PROJECT_ID, censusUserName: "census-eu" });
  fake.stacks.get(STACK)!.outputs!.accessKeyCreatedAt = daysAgo(12);
  fake.stacks.get(OLD_STACK)!.outputs!.accessKeyCreatedAt = daysAgo(120);
  fake.calls.length = 0;
  return fake;
}

const rowOf = (stdout: string, projectId: string) => stdout.split("\n").find((line) => line.includes(projectId));

test("shows each stack's region, project, bucket, Census user, key age and last update, and warns about old keys", async () => {
  const fake = await twoStacks();
  const result = await runCli(["list"], { env: temp.env, fake });

  expect(result.code).toBe(EXIT.ok);
  const [header] = result.stdout.split("\n");
  expect(header).toMatch(/^Region\s+Project ID\s+Bucket\s+Census user\s+Key age\s+Last update\s+Note$/);
  expect(rowOf(result.stdout, TEST_PROJECT_ID)).toMatch(
    new RegExp(`^us-east-1\\s+${TEST_PROJECT_ID}\\s+census-pinpoint-staging-01234567-${TEST_ACCOUNT_ID}-us-east-1\\s+census-pinpoint-01234567\\s+12 days\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC$`),
  );
  expect(rowOf(result.stdout, OTHER_PROJECT_ID)).toMatch(/^eu-west-1\s+\S+\s+census-pinpoint-staging-\S+-eu-west-1\s+census-eu\s+120 days ⚠\s+/);
  expect(result.stderr).toContain(`The access key of stack ${OLD_STACK} is 120 days old; Security Hub control IAM.3 expects keys rotated within 90 days.`);
  expect(result.stderr).toContain(`Rotate it without downtime: census-pinpoint rotate-key --stack ${OLD_STACK}`);
  expect(result.stderr).not.toContain(`stack ${STACK} is`);
  // Listing reads no secret.
  expect(fake.calls.some((call) => call.args.includes("--show-secrets") && call.args[0] === "stack")).toBe(false);
});

test("the old key's row is highlighted when colour is on", async () => {
  const fake = await twoStacks();
  const result = await runCli(["list"], { env: { ...temp.env, NO_COLOR: "", FORCE_COLOR: "1" }, fake });

  expect(rowOf(result.stdout, OTHER_PROJECT_ID)).toMatch(/^\x1b\[33m/);
  expect(rowOf(result.stdout, TEST_PROJECT_ID)).toMatch(/^us-east-1/);
});

test("--json is one document with a record per stack", async () => {
  const fake = await twoStacks();
  const result = await runCli(["list", "--json"], { env: temp.env, fake });

  expect(result.code).toBe(EXIT.ok);
  const { stacks } = JSON.parse(result.stdout);
  expect(stacks).toEqual([
    expect.objectContaining({ stackName: OLD_STACK, region: "eu-west-1", projectId: OTHER_PROJECT_ID, censusUserName: "census-eu", keyAgeDays: 120, keyNeedsRotation: true }),
    expect.objectContaining({
      stackName: STACK,
      region: "us-east-1",
      stagingBucketName: `census-pinpoint-staging-01234567-${TEST_ACCOUNT_ID}-us-east-1`,
      keyAgeDays: 12,
      keyNeedsRotation: false,
      rotationPending: false,
      lastUpdate: expect.stringMatching(/^\d{4}-/),
    }),
  ]);
});

test("a stack in the middle of a key rotation says so", async () => {
  const fake = await twoStacks();
  await runCli(["rotate-key", "--stack", STACK, "--no-input"], { env: temp.env, fake });
  const result = await runCli(["list", "--json"], { env: temp.env, fake });

  const { stacks } = JSON.parse(result.stdout);
  expect(stacks.find((stack: { stackName: string }) => stack.stackName === STACK)).toMatchObject({ rotationPending: true, keyAgeDays: 0, note: "key rotation pending (rotate-key --finish)" });
});

test("stacks whose outputs cannot be read still appear, with what is known and why", async () => {
  const fake = await twoStacks();
  const unfinished = `us-east-2-${OTHER_PROJECT_ID}`;
  fake.stacks.set(unfinished, { config: {}, history: [] });
  fake.stacks.set("dev", { config: {}, history: [] });
  fake.failNext(`stack output --json --stack ${OLD_STACK}`, { stderr: "error: failed to decrypt: incorrect passphrase" });
  const result = await runCli(["list"], { env: temp.env, fake });

  expect(result.code).toBe(EXIT.ok);
  expect(rowOf(result.stdout, OTHER_PROJECT_ID)).toBeDefined();
  const eu = result.stdout.split("\n").find((line) => line.startsWith("eu-west-1"));
  expect(eu).toMatch(new RegExp(`^eu-west-1\\s+${OTHER_PROJECT_ID}\\s+\\?\\s+\\?\\s+\\?\\s+.+ UTC\\s+outputs unreadable$`));
  expect(result.stderr).toContain(`The passphrase does not unlock the secrets of stack ${OLD_STACK}.`);
  const east2 = result.stdout.split("\n").find((line) => line.startsWith("us-east-2"));
  expect(east2).toMatch(/never\s+setup never completed$/);
  expect(result.stderr).toContain(`Finish it with \`census-pinpoint setup --region us-east-2 --project-id ${OTHER_PROJECT_ID}\``);
  expect(result.stdout.split("\n").find((line) => line.startsWith("?"))).toMatch(/^\?\s+dev\s+.*not named <region>-<projectId>/);
});

test("no stacks: a friendly line naming setup, exit 0, and --json is an empty list", async () => {
  const fake = new FakePulumi();
  const pretty = await runCli(["list"], { env: temp.env, fake });
  const json = await runCli(["list", "--json"], { env: temp.env, fake });

  expect(pretty.code).toBe(EXIT.ok);
  expect(pretty.stdout).toBe("");
  expect(pretty.stderr).toContain("No census-pinpoint stacks in this backend yet. Create one with `census-pinpoint setup`.");
  expect(json.code).toBe(EXIT.ok);
  expect(JSON.parse(json.stdout)).toEqual({ stacks: [] });
});
