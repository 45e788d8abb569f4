// `census-pinpoint rotate-key` as a user runs it: both phases, their repeat safety, and interrupted
// updates, against a fake Pulumi CLI whose outputs follow the component's rotation config, and IAM
// (mocked) holding the keys those outputs name unless a test removes or deactivates one.
import { GetAccessKeyLastUsedCommand, IAMClient, ListAccessKeysCommand } from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import { EXIT, InterruptedError } from "../../../wizard/errors.js";
import { fakeAccessKey, FakePulumi } from "../../helpers/fakePulumi.js";
import { TEST_ACCESS_KEY_ID, TEST_SECOND_ACCESS_KEY_ID, TEST_SECRET_KEY } from "../../helpers/pulumiMocks.js";
import { STACK, useTempHome } from "../pulumi/setup.js";
import { runCli, seedStack, stackConfig } from "./dayTwo.js";

const temp = useTempHome();
const NEW_SECRET = fakeAccessKey(2).secret;
const FINISH = `census-pinpoint rotate-key --finish --stack ${STACK}`;

const iam = mockClient(IAMClient);
let current: FakePulumi | undefined;
/** Keys a test made disappear from IAM or deactivated there, behind census-pinpoint's back. */
const outOfBand = { deleted: new Set<string>(), inactive: new Set<string>() };
const LAST_USED = new Date("2026-11-30T08:00:00Z");

beforeEach(() => {
  current = undefined;
  outOfBand.deleted.clear();
  outOfBand.inactive.clear();
  iam.reset();
  iam.on(ListAccessKeysCommand).callsFake(() => {
    const stackOutputs = current?.stacks.get(STACK)?.outputs ?? {};
    const ids = [stackOutputs.previousAccessKeyId, stackOutputs.accessKeyId].filter((id): id is string => id !== undefined && !outOfBand.deleted.has(id));
    return { AccessKeyMetadata: ids.map((id) => ({ AccessKeyId: id, Status: outOfBand.inactive.has(id) ? "Inactive" : "Active" })) };
  });
  iam.on(GetAccessKeyLastUsedCommand).resolves({ AccessKeyLastUsed: { LastUsedDate: LAST_USED, ServiceName: "s3", Region: "eu-west-1" } });
});

afterAll(() => iam.restore());

async function oneStack(): Promise<FakePulumi> {
  const fake = new FakePulumi();
  current = fake;
  await seedStack(fake, temp.env);
  fake.calls.length = 0;
  return fake;
}

/** The rotation keys of the `config set-all` calls, in order. */
function rotationConfigWrites(fake: FakePulumi): string[][] {
  return fake.callsTo("config set-all").map((call) => call.args.filter((arg) => /:(accessKeyGeneration|keepPreviousAccessKey)=/.test(arg)));
}

const outputs = (fake: FakePulumi) => fake.stacks.get(STACK)!.outputs!;

describe("phase 1: a second key", () => {
  test("raises the key generation, keeps the old key, and prints the new key for Census", async () => {
    const fake = await oneStack();
    const result = await runCli(["rotate-key", "--no-input"], { env: temp.env, fake });

    expect(result.code).toBe(EXIT.ok);
    expect(rotationConfigWrites(fake)).toEqual([["census-pinpoint:accessKeyGeneration=2", "census-pinpoint:keepPreviousAccessKey=true"]]);
    expect(fake.callsTo("up")).toHaveLength(1);
    expect(outputs(fake)).toMatchObject({ accessKeyId: TEST_SECOND_ACCESS_KEY_ID, previousAccessKeyId: TEST_ACCESS_KEY_ID });
    expect(result.stdout).toContain(`Access Key ID           ${TEST_SECOND_ACCESS_KEY_ID}`);
    expect(result.stdout).toContain(`Secret Key              ${NEW_SECRET}`);
    expect(result.stderr).toContain(`alongside the old key ${TEST_ACCESS_KEY_ID}, which Census uses until you change it`);
    expect(result.stderr).toContain("run its connection test");
    expect(result.stderr).toContain(`Phase 2 is pending. Once Census's test passes with the new key, delete the old one: ${FINISH}`);
    expect(result.stderr).not.toContain(NEW_SECRET);
  });

  test("run twice, it makes no third key: it prints the pending new key again and says phase 2 is pending", async () => {
    const fake = await oneStack();
    await runCli(["rotate-key", "--no-input"], { env: temp.env, fake });
    const again = await runCli(["rotate-key", "--no-input"], { env: temp.env, fake });

    expect(again.code).toBe(EXIT.ok);
    expect(stackConfig(fake, STACK)).toMatchObject({ accessKeyGeneration: "2", keepPreviousAccessKey: "true" });
    expect(fake.callsTo("up")).toHaveLength(1);
    expect(fake.callsTo("config set-all")).toHaveLength(1);
    expect(again.stdout).toContain(`Access Key ID           ${TEST_SECOND_ACCESS_KEY_ID}`);
    expect(again.stdout).toContain(`Secret Key              ${NEW_SECRET}`);
    expect(again.stderr).toContain(`A rotation is already pending on stack ${STACK}`);
    expect(again.stderr).toContain("No third key was made.");
    expect(again.stderr).toContain(FINISH);
  });

  test("--json is one document with the new key in clear, the old key's ID and the finish command; nothing is asked", async () => {
    const fake = await oneStack();
    const result = await runCli(["rotate-key", "--json"], { env: temp.env, fake, terminal: true });

    expect(result.code).toBe(EXIT.ok);
    expect(JSON.parse(result.stdout)).toMatchObject({
      accessKeyId: TEST_SECOND_ACCESS_KEY_ID,
      secretAccessKey: NEW_SECRET,
      previousAccessKeyId: TEST_ACCESS_KEY_ID,
      stackName: STACK,
      newKeyCreated: true,
      finishCommand: FINISH,
    });
    expect(result.questions()).toEqual([]);
  });

  test("in a terminal, yes to the question finishes the rotation in the same run", async () => {
    const fake = await oneStack();
    const result = await runCli(["rotate-key"], { env: temp.env, fake, terminal: true, script: { confirmOldKeyDeletion: [true] } });

    expect(result.code).toBe(EXIT.ok);
    expect(result.asked).toEqual([{ question: "confirmOldKeyDeletion", args: [TEST_ACCESS_KEY_ID] }]);
    expect(rotationConfigWrites(fake)).toEqual([
      ["census-pinpoint:accessKeyGeneration=2", "census-pinpoint:keepPreviousAccessKey=true"],
      ["census-pinpoint:accessKeyGeneration=2", "census-pinpoint:keepPreviousAccessKey=false"],
    ]);
    expect(outputs(fake).previousAccessKeyId).toBeUndefined();
    expect(result.stdout).toContain(`Secret Key              ${NEW_SECRET}`);
    expect(result.stdout).toContain(`Deleted the old access key ${TEST_ACCESS_KEY_ID}. ${TEST_SECOND_ACCESS_KEY_ID} is now the only key of census-pinpoint-01234567.`);
  });

  test("in a terminal, no to the question keeps both keys and names the command for later", async () => {
    const fake = await oneStack();
    const result = await runCli(["rotate-key"], { env: temp.env, fake, terminal: true, script: { confirmOldKeyDeletion: [false] } });

    expect(result.code).toBe(EXIT.ok);
    expect(fake.callsTo("up")).toHaveLength(1);
    expect(outputs(fake).previousAccessKeyId).toBe(TEST_ACCESS_KEY_ID);
    expect(result.stderr).toContain(FINISH);
  });

  test("--yes never deletes the old key right after making the new one", async () => {
    const fake = await oneStack();
    const result = await runCli(["rotate-key", "--yes"], { env: temp.env, fake, terminal: true });

    expect(result.code).toBe(EXIT.ok);
    expect(result.questions()).toEqual([]);
    expect(outputs(fake).previousAccessKeyId).toBe(TEST_ACCESS_KEY_ID);
    expect(result.stderr).toContain("--yes does not delete the old key right after creating the new one");
  });

  test("a failed update names the command that resumes it, and the re-run completes the same generation", async () => {
    const fake = await oneStack();
    fake.failNext("up", { stderr: "error: update failed\nerror: creating IAM Access Key: LimitExceeded: Cannot exceed quota for AccessKeysPerUser: 2" });
    const failed = await runCli(["rotate-key", "--no-input"], { env: temp.env, fake });

    expect(failed.code).toBe(EXIT.pulumi);
    expect(failed.stderr).toContain(`Re-running \`census-pinpoint rotate-key --stack ${STACK}\` resumes where it stopped.`);
    // The config asks for the new key, the state does not have it: finishing now would strand Census.
    const early = await runCli(["rotate-key", "--finish", "--yes", "--no-input"], { env: temp.env, fake });
    expect(early.code).toBe(EXIT.usage);
    expect(early.stderr).toContain(`The new access key of stack ${STACK} was never completely created`);
    expect(fake.callsTo("up")).toHaveLength(1);

    const resumed = await runCli(["rotate-key", "--no-input"], { env: temp.env, fake });
    expect(resumed.code).toBe(EXIT.ok);
    expect(stackConfig(fake, STACK).accessKeyGeneration).toBe("2");
    expect(resumed.stdout).toContain(`Access Key ID           ${TEST_SECOND_ACCESS_KEY_ID}`);
    expect(resumed.stderr).not.toContain("already pending");
  });

  test("a stack that does not exist is exit 2 naming setup", async () => {
    const fake = await oneStack();
    const result = await runCli(["rotate-key", "--region", "eu-west-1", "--project-id", "fedcba9876543210fedcba9876543210"], { env: temp.env, fake });

    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain("census-pinpoint setup");
    expect(fake.callsTo("up")).toEqual([]);
  });
});

describe("phase 2: --finish", () => {
  test("--finish --yes deletes the old key; the next rotation goes on from the new generation", async () => {
    const fake = await oneStack();
    await runCli(["rotate-key", "--no-input"], { env: temp.env, fake });
    const finished = await runCli(["rotate-key", "--finish", "--yes", "--no-input"], { env: temp.env, fake });

    expect(finished.code).toBe(EXIT.ok);
    expect(rotationConfigWrites(fake).at(-1)).toEqual(["census-pinpoint:accessKeyGeneration=2", "census-pinpoint:keepPreviousAccessKey=false"]);
    expect(outputs(fake).previousAccessKeyId).toBeUndefined();
    expect(finished.stdout).toBe(`Deleted the old access key ${TEST_ACCESS_KEY_ID}. ${TEST_SECOND_ACCESS_KEY_ID} is now the only key of census-pinpoint-01234567.\n`);
    for (const secret of [NEW_SECRET, TEST_SECRET_KEY]) expect(`${finished.stdout}${finished.stderr}`).not.toContain(secret);

    await runCli(["rotate-key", "--no-input"], { env: temp.env, fake });
    expect(stackConfig(fake, STACK)).toMatchObject({ accessKeyGeneration: "3", keepPreviousAccessKey: "true" });
    expect(outputs(fake)).toMatchObject({ accessKeyId: fakeAccessKey(3).id, previousAccessKeyId: TEST_SECOND_ACCESS_KEY_ID });
  });

  test("--finish --json is one document naming the deleted and the remaining key", async () => {
    const fake = await oneStack();
    await runCli(["rotate-key", "--no-input"], { env: temp.env, fake });
    const result = await runCli(["rotate-key", "--finish", "--yes", "--json"], { env: temp.env, fake });

    expect(JSON.parse(result.stdout)).toEqual({ stackName: STACK, accessKeyId: TEST_SECOND_ACCESS_KEY_ID, deletedAccessKeyId: TEST_ACCESS_KEY_ID });
  });

  test("in a terminal, --finish asks first, and no deletes nothing", async () => {
    const fake = await oneStack();
    await runCli(["rotate-key", "--no-input"], { env: temp.env, fake });
    const result = await runCli(["rotate-key", "--finish"], { env: temp.env, fake, terminal: true, script: { confirmOldKeyDeletion: [false] } });

    expect(result.code).toBe(EXIT.ok);
    expect(result.questions()).toEqual(["confirmOldKeyDeletion"]);
    expect(fake.callsTo("up")).toHaveLength(1);
    expect(outputs(fake).previousAccessKeyId).toBe(TEST_ACCESS_KEY_ID);
    expect(result.stderr).toContain("Nothing was deleted; both keys still work.");
  });

  test("with no rotation pending there is nothing to do: exit 0, no update", async () => {
    const fake = await oneStack();
    const result = await runCli(["rotate-key", "--finish", "--yes", "--no-input"], { env: temp.env, fake });

    expect(result.code).toBe(EXIT.ok);
    expect(result.stderr).toContain(`No key rotation is pending on stack ${STACK}: it has one access key, so there is nothing to delete.`);
    expect(fake.callsTo("up")).toEqual([]);
    expect(fake.callsTo("config set-all")).toEqual([]);
  });

  test("without a terminal --finish needs --yes, and nothing is touched", async () => {
    const fake = await oneStack();
    const result = await runCli(["rotate-key", "--finish", "--no-input"], { env: temp.env, fake });

    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain("pass --yes with --finish");
    expect(fake.calls).toEqual([]);
  });

  test("an interrupted --finish is completed by running it again", async () => {
    const fake = await oneStack();
    await runCli(["rotate-key", "--no-input"], { env: temp.env, fake });
    fake.failNext("up", { stderr: "error: update failed" });
    const failed = await runCli(["rotate-key", "--finish", "--yes", "--no-input"], { env: temp.env, fake });
    expect(failed.code).toBe(EXIT.pulumi);
    expect(failed.stderr).toContain(`Re-running \`census-pinpoint rotate-key --finish --yes --stack ${STACK}\` resumes`);

    const again = await runCli(["rotate-key", "--finish", "--yes", "--no-input"], { env: temp.env, fake });
    expect(again.code).toBe(EXIT.ok);
    expect(again.stdout).toContain(`Deleted the old access key ${TEST_ACCESS_KEY_ID}.`);
    expect(outputs(fake).previousAccessKeyId).toBeUndefined();
  });
});

describe("phase 2 never leaves Census without a key", () => {
  test("the new key deleted out of band: --finish deletes nothing and says how to get a new key (exit 5)", async () => {
    const fake = await oneStack();
    await runCli(["rotate-key", "--no-input"], { env: temp.env, fake });
    outOfBand.deleted.add(TEST_SECOND_ACCESS_KEY_ID);
    const result = await runCli(["rotate-key", "--finish", "--yes", "--no-input"], { env: temp.env, fake });

    expect(result.code).toBe(EXIT.verification);
    expect(result.stderr).toContain(
      "✖ The new access key AKIAI44QH8DHBEXAMPLE of user census-pinpoint-01234567 is not in IAM (it was deleted outside census-pinpoint): deleting the old key AKIAIOSFODNN7EXAMPLE now would leave Census with no working key. Nothing was deleted.",
    );
    expect(result.stderr).toContain(`Run \`census-pinpoint rotate-key --stack ${STACK}\` to make a new key (the old one stays)`);
    expect(fake.callsTo("up")).toHaveLength(1);
    expect(outputs(fake).previousAccessKeyId).toBe(TEST_ACCESS_KEY_ID);

    // That command makes the new key again, in the same generation, and keeps the old one.
    const again = await runCli(["rotate-key", "--no-input"], { env: temp.env, fake });
    expect(again.code).toBe(EXIT.ok);
    expect(again.stderr).toContain(`The new key ${TEST_SECOND_ACCESS_KEY_ID} of the pending rotation is gone from IAM (deleted outside census-pinpoint): making another one.`);
    expect(rotationConfigWrites(fake).at(-1)).toEqual(["census-pinpoint:accessKeyGeneration=2", "census-pinpoint:keepPreviousAccessKey=true"]);
    expect(fake.callsTo("up")).toHaveLength(2);
  });

  test("the new key deactivated: --finish deletes nothing (exit 5)", async () => {
    const fake = await oneStack();
    await runCli(["rotate-key", "--no-input"], { env: temp.env, fake });
    outOfBand.inactive.add(TEST_SECOND_ACCESS_KEY_ID);
    const result = await runCli(["rotate-key", "--finish", "--yes", "--no-input"], { env: temp.env, fake });

    expect(result.code).toBe(EXIT.verification);
    expect(result.stderr).toContain(`is inactive in IAM: deleting the old key ${TEST_ACCESS_KEY_ID} now would leave Census with no working key.`);
    expect(fake.callsTo("up")).toHaveLength(1);
  });

  test("before the old key goes, when each key was last used is shown, and a new key never used is warned about", async () => {
    const fake = await oneStack();
    await runCli(["rotate-key", "--no-input"], { env: temp.env, fake });
    iam.on(GetAccessKeyLastUsedCommand, { AccessKeyId: TEST_SECOND_ACCESS_KEY_ID }).resolves({ AccessKeyLastUsed: { ServiceName: "N/A", Region: "N/A" } });
    const result = await runCli(["rotate-key", "--finish", "--yes", "--no-input"], { env: temp.env, fake });

    expect(result.code).toBe(EXIT.ok);
    expect(result.stderr).toContain(`Old key ${TEST_ACCESS_KEY_ID}: last used 2026-11-30 08:00 UTC (s3 in eu-west-1).`);
    expect(result.stderr).toContain(`New key ${TEST_SECOND_ACCESS_KEY_ID}: never used.`);
    expect(result.stderr).toContain(`Census has not used the new key ${TEST_SECOND_ACCESS_KEY_ID} yet`);
  });

  test("Ctrl-C at the question after phase 1 says the new key exists and how to go on", async () => {
    const fake = await oneStack();
    const result = await runCli(["rotate-key"], { env: temp.env, fake, terminal: true, script: { confirmOldKeyDeletion: [new InterruptedError("Cancelled.")] } });

    expect(result.code).toBe(EXIT.interrupted);
    expect(result.stderr).toContain(
      `✖ Cancelled. The new key ${TEST_SECOND_ACCESS_KEY_ID} exists and works alongside the old key ${TEST_ACCESS_KEY_ID}, which still works too.`,
    );
    expect(result.stderr).toContain(FINISH);
  });
});

test("a stack torn down with --keep-state has no key to rotate: exit 2, and nothing is recreated", async () => {
  const fake = await oneStack();
  // What `teardown --keep-state` leaves: no resources, no outputs, a destroy as the last update.
  const torn = fake.stacks.get(STACK)!;
  torn.outputs = undefined;
  const now = new Date().toISOString();
  torn.history.push({ version: torn.history.length + 1, kind: "destroy", startTime: now, endTime: now, message: "", environment: {}, config: {}, result: "succeeded", resourceChanges: { delete: 7 } });
  const result = await runCli(["rotate-key", "--no-input"], { env: temp.env, fake });

  expect(result.code).toBe(EXIT.usage);
  expect(result.stderr).toContain("✖ Stack us-east-1-0123456789abcdef0123456789abcdef: resources deleted, state kept. Its resources were deleted (teardown --keep-state) and only its history is left.");
  expect(fake.callsTo("up")).toEqual([]);
});
