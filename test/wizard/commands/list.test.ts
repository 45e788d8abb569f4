// `census-pinpoint list` as a user runs it: every stack in the fake backend, the key ages against
// Security Hub's 90 days, stacks whose outputs cannot be read, and stacks whose Pinpoint project no
// longer answers (teardown candidates). Pinpoint is a local stub that answers GetApp as AWS words it,
// end-of-support refusal included; nothing reaches the real AWS.
import { EXIT } from "../../../wizard/errors.js";
import { FakePulumi } from "../../helpers/fakePulumi.js";
import { DUMMY_CREDENTIALS, freePort, isolateAwsEnvironment, type IsolatedAwsEnvironment } from "../../helpers/moto.js";
import { usePinpointStub } from "../../helpers/pinpointStub.js";
import { TEST_ACCOUNT_ID, TEST_PROJECT_ID } from "../../helpers/pulumiMocks.js";
import { STACK, useTempHome } from "../pulumi/setup.js";
import { daysAgo, OTHER_PROJECT_ID, runCli, seedStack } from "./dayTwo.js";

const pinpoint = usePinpointStub();
let aws: IsolatedAwsEnvironment;

beforeAll(() => {
  aws = isolateAwsEnvironment(pinpoint.url);
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey });
});

afterAll(() => aws?.restore());

// Every project answers unless a test says otherwise.
beforeEach(() => {
  pinpoint.fallback = { kind: "found", name: "Marketing" };
});

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

describe("stacks whose Pinpoint project no longer answers", () => {
  const GONE_PROJECT_ID = "abcdefabcdefabcdefabcdefabcdefab";
  const GONE_STACK = `us-east-1-${GONE_PROJECT_ID}`;

  /** Three stacks: the project of STACK refused for the end of support, GONE_STACK's not found, OLD_STACK's found. */
  async function threeStacks(): Promise<FakePulumi> {
    const fake = await twoStacks();
    await seedStack(fake, temp.env, { projectId: GONE_PROJECT_ID, censusUserName: "census-gone" });
    fake.calls.length = 0;
    pinpoint.answers.set(TEST_PROJECT_ID, { kind: "end-of-support" });
    pinpoint.answers.set(GONE_PROJECT_ID, { kind: "not-found" });
    return fake;
  }

  test("are marked as teardown candidates in the table, with the teardown command under it", async () => {
    const fake = await threeStacks();
    const result = await runCli(["list"], { env: temp.env, fake });

    expect(result.code).toBe(EXIT.ok);
    expect(rowOf(result.stdout, TEST_PROJECT_ID)).toMatch(/ UTC\s+teardown candidate: Pinpoint end of support$/);
    expect(rowOf(result.stdout, GONE_PROJECT_ID)).toMatch(/ UTC\s+teardown candidate: Pinpoint project not found$/);
    expect(rowOf(result.stdout, OTHER_PROJECT_ID)).not.toContain("teardown");
    expect(result.stderr).toContain(
      "Stack us-east-1-0123456789abcdef0123456789abcdef: Amazon Pinpoint refused project 0123456789abcdef0123456789abcdef in us-east-1 (AWS ended support for Amazon Pinpoint's engagement features on 30 October 2026), so Census cannot import through this setup. If nothing else uses it, remove it: census-pinpoint teardown --stack us-east-1-0123456789abcdef0123456789abcdef",
    );
    expect(result.stderr).toContain(
      `Stack ${GONE_STACK}: Amazon Pinpoint has no project ${GONE_PROJECT_ID} in us-east-1 any more, so Census cannot import through this setup. If nothing else uses it, remove it: census-pinpoint teardown --stack ${GONE_STACK}`,
    );
    expect(result.stderr).not.toContain(`teardown --stack ${OLD_STACK}`);
  });

  test("--json says what Pinpoint answered and which stacks are teardown candidates", async () => {
    const fake = await threeStacks();
    const result = await runCli(["list", "--json"], { env: temp.env, fake });

    expect(result.code).toBe(EXIT.ok);
    const { stacks } = JSON.parse(result.stdout);
    const byName = Object.fromEntries(stacks.map((stack: { stackName: string }) => [stack.stackName, stack]));
    expect(byName[STACK]).toMatchObject({ pinpoint: "end-of-support", teardownCandidate: true, note: "teardown candidate: Pinpoint end of support" });
    expect(byName[GONE_STACK]).toMatchObject({ pinpoint: "not-found", teardownCandidate: true });
    expect(byName[OLD_STACK]).toMatchObject({ pinpoint: "found", teardownCandidate: false });
    expect(byName[OLD_STACK].note).toBeUndefined();
  });

  test("every project is asked about at once, once, while the stacks are read", async () => {
    const fake = await threeStacks();
    pinpoint.delayMs = 300;
    const result = await runCli(["list", "--json"], { env: temp.env, fake });

    expect(result.code).toBe(EXIT.ok);
    expect([...pinpoint.requests].sort()).toEqual([`/v1/apps/${TEST_PROJECT_ID}`, `/v1/apps/${GONE_PROJECT_ID}`, `/v1/apps/${OTHER_PROJECT_ID}`].sort());
    expect(pinpoint.maxInFlight).toBe(3);
  });

  test("Pinpoint unreachable: list still works, nothing is a candidate, and one line says why", async () => {
    const fake = await threeStacks();
    const closed = `http://127.0.0.1:${await freePort()}`;
    process.env.AWS_ENDPOINT_URL = closed;
    const result = await runCli(["list", "--json"], { env: { ...temp.env, AWS_ENDPOINT_URL: closed }, fake }).finally(() => (process.env.AWS_ENDPOINT_URL = pinpoint.url));

    expect(result.code).toBe(EXIT.ok);
    const { stacks } = JSON.parse(result.stdout);
    expect(stacks).toHaveLength(3);
    for (const stack of stacks) {
      expect(stack).toMatchObject({ pinpoint: "unknown", teardownCandidate: false, pinpointReason: expect.stringContaining(`could not reach ${closed}`) });
    }
    expect(result.stderr).toContain(`Amazon Pinpoint gave no answer about the projects of 3 of 3 stacks, so they are not marked as teardown candidates: could not reach ${closed} (set by AWS_ENDPOINT_URL): connection refused`);
    expect(result.stderr).not.toContain("teardown --stack");
  });

  test("no AWS credentials: list still works, and says the projects were not asked about", async () => {
    const fake = await threeStacks();
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    const result = await runCli(["list"], { env: temp.env, fake }).finally(() =>
      Object.assign(process.env, { AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey }),
    );

    expect(result.code).toBe(EXIT.ok);
    expect(result.stderr).toContain("Amazon Pinpoint gave no answer about the projects of 3 of 3 stacks, so they are not marked as teardown candidates: No AWS credentials found.");
    expect(result.stdout).not.toContain("teardown candidate");
    expect(pinpoint.requests).toEqual([]);
  });
});
