// `census-pinpoint teardown` as a user runs it: the Automation API against a fake Pulumi CLI (destroy
// preview, destroy, stack rm), the AWS side (who am I, what is left) against moto_server, and a
// scripted Prompter for the typed confirmation.
import { EventEmitter } from "node:events";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import { main } from "../../../wizard/cli.js";
import { EXIT } from "../../../wizard/errors.js";
import { homePaths } from "../../../wizard/home.js";
import { captureIo } from "../../helpers/cliIo.js";
import { FakePulumi } from "../../helpers/fakePulumi.js";
import { DUMMY_CREDENTIALS, MOTO_ACCOUNT_ID, useMoto } from "../../helpers/moto.js";
import { createBucket } from "../../helpers/motoStaging.js";
import { TEST_PROJECT_ID } from "../../helpers/pulumiMocks.js";
import { scriptedPrompter, type Script } from "../../helpers/scriptedPrompter.js";
import { STACK, useTempHome } from "../pulumi/setup.js";
import { OTHER_PROJECT_ID, seedStack } from "./dayTwo.js";

const BUCKET = `census-pinpoint-staging-01234567-${MOTO_ACCOUNT_ID}-us-east-1`;
const BY_FLAGS = ["teardown", "--region", "us-east-1", "--project-id", TEST_PROJECT_ID];
const temp = useTempHome();
useMoto();

beforeAll(() => {
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey });
});

async function seeded(): Promise<FakePulumi> {
  const fake = new FakePulumi();
  await seedStack(fake, temp.env);
  fake.calls.length = 0;
  return fake;
}

async function run(argv: string[], options: { fake: FakePulumi; script?: Script; terminal?: boolean; signals?: EventEmitter }) {
  const captured = captureIo({ ...process.env, ...temp.env }, { terminal: options.terminal });
  const scripted = scriptedPrompter(options.script ?? {});
  const code = await main(argv, captured.io, {
    pulumiCommand: options.fake as unknown as PulumiCommand,
    prompter: scripted.prompter,
    signals: options.signals as unknown as NodeJS.Process | undefined,
  });
  return { code, stdout: captured.stdout(), stderr: captured.stderr(), asked: scripted.asked, questions: scripted.questions };
}

/** The changing Pulumi commands a run issued, up to the flags the SDK adds to each (colour, event log, stack). */
function pulumiCommands(fake: FakePulumi): string[] {
  const added = /^--(color|exec-kind|event-log|stack|client=)/;
  return fake.calls
    .map((call) => call.args.slice(0, call.args.findIndex((arg) => added.test(arg)) >>> 0).join(" "))
    .filter((line) => /^(destroy|stack rm|up)/.test(line));
}

const workDir = () => homePaths(temp.env).workDir(STACK);

describe("confirmation", () => {
  test("--no-input without --yes exits 2 before any Pulumi or AWS call", async () => {
    const fake = await seeded();
    const result = await run([...BY_FLAGS, "--no-input"], { fake });

    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain("pass --yes");
    expect(fake.calls).toEqual([]);
  });

  test("in a terminal, the preview is shown and the project ID typed back deletes everything", async () => {
    const fake = await seeded();
    const result = await run(BY_FLAGS, { fake, terminal: true, script: { confirmTypedText: [true] } });

    expect(result.code).toBe(EXIT.ok);
    const [expected, message] = result.asked.find(({ question }) => question === "confirmTypedText")!.args as [string, string];
    expect(expected).toBe(TEST_PROJECT_ID);
    expect(message).toBe(`Type the project ID ${TEST_PROJECT_ID} to confirm`);
    expect(result.stderr).toContain(`Teardown deletes these 4 resources of stack ${STACK}:`);
    expect(result.stdout).toMatch(/RESOURCE\s+PULUMI NAME\n/);
    expect(result.stdout).toMatch(/S3 bucket \S+\s+staging-bucket/);
    expect(result.stdout).toMatch(/access key census-access-key of user \S+\s+census-access-key/);
    expect(result.stdout).not.toContain("CensusPinpointStaging");
    expect(result.stdout).not.toContain("pulumi:providers");
    expect(pulumiCommands(fake)).toEqual(["destroy --preview-only", "destroy --yes --skip-preview", `stack rm --yes ${STACK}`]);
  });

  test("text that is not the project ID deletes nothing and exits 2", async () => {
    const fake = await seeded();
    const result = await run(BY_FLAGS, { fake, terminal: true, script: { confirmTypedText: [false] } });

    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain(`What was typed is not the project ID ${TEST_PROJECT_ID}: nothing was deleted.`);
    expect(result.stderr).toContain("or pass --yes");
    expect(pulumiCommands(fake)).toEqual(["destroy --preview-only"]);
    expect(fake.stacks.get(STACK)?.outputs).toBeDefined();
    expect(existsSync(workDir())).toBe(true);
  });
});

describe("teardown with --yes", () => {
  test("destroys, removes the stack and its work dir, and checks every resource is gone in AWS", async () => {
    const fake = await seeded();
    expect(existsSync(workDir())).toBe(true);
    const result = await run([...BY_FLAGS, "--yes", "--no-input"], { fake });

    expect(result.code).toBe(EXIT.ok);
    expect(result.questions()).toEqual([]);
    expect(pulumiCommands(fake)).toEqual(["destroy --preview-only", "destroy --yes --skip-preview", `stack rm --yes ${STACK}`]);
    expect(fake.stacks.has(STACK)).toBe(false);
    expect(existsSync(workDir())).toBe(false);
    expect(result.stderr).toContain(`Using AWS account ${MOTO_ACCOUNT_ID}`);
    expect(result.stderr).toMatch(/✔ deleted S3 bucket staging-bucket/);
    expect(result.stderr).toContain(`Stack ${STACK} is torn down: 4 resources deleted, the stack and its work dir ${workDir()} removed.`);
    expect(result.stdout).toContain("Checked in AWS after the teardown:");
    for (const line of [
      `✔ S3 bucket ${BUCKET}: gone`,
      "✔ IAM user census-pinpoint-01234567: gone",
      "✔ IAM group census-pinpoint-01234567-group: gone",
      `✔ IAM policy arn:aws:iam::${MOTO_ACCOUNT_ID}:policy/census-pinpoint-01234567-access: gone`,
      "✔ IAM role CensusPinpointSegmentImporter-01234567: gone",
      `✔ IAM policy arn:aws:iam::${MOTO_ACCOUNT_ID}:policy/CensusPinpointSegmentImporter-01234567-s3-read: gone`,
    ]) {
      expect(result.stdout).toContain(line);
    }
  });

  test("--json prints one document: what was deleted and what is left", async () => {
    const fake = await seeded();
    const result = await run([...BY_FLAGS, "--yes", "--json"], { fake });

    expect(result.code).toBe(EXIT.ok);
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({ stackName: STACK, status: "torn-down", stackRemoved: true, workDirRemoved: true, leftovers: [] });
    expect(document.deleted).toHaveLength(4);
    expect(document.deleted).toContainEqual({ type: "aws:iam/role:Role", name: "importer-role" });
  });

  test("something still in AWS afterwards is listed with the command that removes it, exit 5", async () => {
    const fake = await seeded();
    await createBucket("us-east-1", BUCKET);
    const result = await run([...BY_FLAGS, "--yes"], { fake });

    expect(result.code).toBe(EXIT.verification);
    expect(result.stdout).toContain(`✘ S3 bucket ${BUCKET}: still exists\n    aws s3 rb s3://${BUCKET} --force --region us-east-1\n`);
    expect(result.stderr).toContain(`1 of the stack's resources is still in AWS: S3 bucket ${BUCKET}.`);
    expect(fake.stacks.has(STACK)).toBe(false);
  });

  test("credentials for another account than the stack's stop it before anything is deleted, exit 3", async () => {
    const fake = await seeded();
    const outputs = fake.stacks.get(STACK)!.outputs!;
    outputs.importerRoleArn = "arn:aws:iam::111111111111:role/CensusPinpointSegmentImporter-01234567";
    const result = await run([...BY_FLAGS, "--yes"], { fake });

    expect(result.code).toBe(EXIT.aws);
    expect(result.stderr).toContain(`resources are in AWS account 111111111111, but these credentials belong to account ${MOTO_ACCOUNT_ID}`);
    expect(pulumiCommands(fake)).toEqual([]);
  });

  test("a failed destroy keeps the stack, exit 4, and the hint resumes the teardown", async () => {
    const fake = await seeded();
    fake.failNext("destroy --yes", { stderr: "error: deleting IAM Role: DeleteConflict: Cannot delete entity, must detach all policies first." });
    const result = await run([...BY_FLAGS, "--yes"], { fake });

    expect(result.code).toBe(EXIT.pulumi);
    expect(result.stderr).toContain("DeleteConflict");
    expect(result.stderr).toContain(`census-pinpoint teardown --yes --stack ${STACK}`);
    expect(fake.callsTo("stack rm")).toEqual([]);
    expect(existsSync(workDir())).toBe(true);
  });

  test("Ctrl-C during the destroy: exit 130, the stack stays, and the hint resumes the teardown", async () => {
    const fake = await seeded();
    fake.failNext("destroy --yes", { runUntilAborted: true, stderr: "error: destroy canceled" });
    const signals = new EventEmitter();
    const sigint = setInterval(() => {
      if (fake.callsTo("destroy --yes").length > 0) {
        clearInterval(sigint);
        signals.emit("SIGINT");
      }
    }, 20);
    const result = await run([...BY_FLAGS, "--yes", "--no-input"], { fake, signals });
    clearInterval(sigint);

    expect(result.code).toBe(EXIT.interrupted);
    expect(result.stderr).toContain("Stopping safely");
    expect(result.stderr).toContain(`census-pinpoint teardown --yes --stack ${STACK}`);
    expect(fake.callsTo("stack rm")).toEqual([]);
  });
});

describe("--keep-state", () => {
  test("deletes the resources but keeps the stack with its history and its work dir; a later teardown removes them", async () => {
    const fake = await seeded();
    const kept = await run([...BY_FLAGS, "--yes", "--keep-state"], { fake });

    expect(kept.code).toBe(EXIT.ok);
    expect(pulumiCommands(fake)).toEqual(["destroy --preview-only", "destroy --yes --skip-preview"]);
    expect(fake.stacks.get(STACK)?.history.map((update) => (update as { kind: string }).kind)).toEqual(["update", "destroy"]);
    expect(existsSync(workDir())).toBe(true);
    expect(kept.stderr).toContain("The stack and its history stay in the backend (--keep-state).");
    expect(kept.stderr).toContain(`\`census-pinpoint teardown --stack ${STACK}\` removes both.`);

    fake.calls.length = 0;
    const later = await run([...BY_FLAGS, "--yes"], { fake });
    expect(later.code).toBe(EXIT.ok);
    expect(later.stderr).toContain(`Stack ${STACK} has no resources left to delete.`);
    expect(pulumiCommands(fake)).toEqual(["destroy --preview-only", "destroy --yes --skip-preview", `stack rm --yes ${STACK}`]);
    expect(fake.stacks.has(STACK)).toBe(false);
    expect(existsSync(workDir())).toBe(false);
  });

  test("a stack with nothing left to delete is not asked about again", async () => {
    const fake = await seeded();
    await run([...BY_FLAGS, "--yes", "--keep-state"], { fake });
    const again = await run([...BY_FLAGS, "--keep-state"], { fake, terminal: true });

    expect(again.code).toBe(EXIT.ok);
    expect(again.questions()).toEqual([]);
  });
});

describe("nothing to tear down", () => {
  test("a stack that does not exist: exit 0, no destroy, and no work dir left behind", async () => {
    const fake = new FakePulumi();
    const result = await run([...BY_FLAGS, "--yes"], { fake });

    expect(result.code).toBe(EXIT.ok);
    expect(result.stderr).toContain(`Nothing to tear down. There is no stack ${STACK}`);
    expect(pulumiCommands(fake)).toEqual([]);
    expect(existsSync(workDir())).toBe(false);
  });

  test("the work dir of a stack kept in another backend is left alone", async () => {
    mkdirSync(workDir(), { recursive: true });
    writeFileSync(join(workDir(), `Pulumi.${STACK}.yaml`), "encryptionsalt: v1:abc\n");
    const result = await run([...BY_FLAGS, "--yes"], { fake: new FakePulumi() });

    expect(result.code).toBe(EXIT.ok);
    expect(existsSync(join(workDir(), `Pulumi.${STACK}.yaml`))).toBe(true);
  });

  test("an empty backend, with --json: one document saying so", async () => {
    const result = await run(["teardown", "--yes", "--json"], { fake: new FakePulumi() });

    expect(result.code).toBe(EXIT.ok);
    expect(JSON.parse(result.stdout)).toEqual({
      stackName: null,
      status: "nothing-to-tear-down",
      deleted: [],
      stackRemoved: false,
      workDir: null,
      workDirRemoved: false,
      leftovers: [],
    });
  });

  test("a stack other than the one named is not touched", async () => {
    const fake = await seeded();
    const result = await run(["teardown", "--region", "us-east-1", "--project-id", OTHER_PROJECT_ID, "--yes"], { fake });

    expect(result.code).toBe(EXIT.ok);
    expect(result.stderr).toContain("Nothing to tear down");
    expect(fake.stacks.get(STACK)?.outputs).toBeDefined();
  });
});
