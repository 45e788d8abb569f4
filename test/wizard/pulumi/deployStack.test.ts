import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { ProgressEvent } from "../../../wizard/progress.js";
import { EXIT, InterruptedError, PulumiError } from "../../../wizard/errors.js";
import { deployStack } from "../../../wizard/pulumi/deployStack.js";
import { readStackValues } from "../../../wizard/pulumi/stackValues.js";
import { FakePulumi, failedResourceEvents, warningEvent, type FakeCall } from "../../helpers/fakePulumi.js";
import { TEST_SECRET_KEY } from "../../helpers/pulumiMocks.js";
import { INPUTS, STACK, progressRecorder, useTempHome } from "./setup.js";

const temp = useTempHome();

/** `config set-all` arguments as key=value pairs, each with the flag in front of it. */
function configArgs(call: FakeCall): string[] {
  return call.args.slice(call.args.indexOf("--stack") + 2);
}

describe("deployStack", () => {
  test("creates the stack <region>-<projectId> and runs config, up and output in that order", async () => {
    const fake = new FakePulumi();
    const { onProgress } = progressRecorder();
    const result = await deployStack({ env: temp.env }, INPUTS, { onProgress, pulumiCommand: fake });

    expect(fake.calls.map((call) => call.args.slice(0, 2).join(" "))).toEqual([
      "stack select",
      "stack init",
      "config set-all",
      // Read before every update: a killed run may have left creates unfinished (interruptedCreates.ts).
      "stack export",
      "up --yes",
      "stack output",
      "stack output",
      "stack history",
    ]);
    expect(fake.callsTo("stack select")[0]!.args).toEqual(["stack", "select", "--stack", STACK]);
    expect(fake.callsTo("stack init")[0]!.args).toEqual(["stack", "init", STACK, "--secrets-provider", "passphrase"]);
    expect(fake.callsTo("up")[0]!.args).toEqual(expect.arrayContaining(["--stack", STACK, "--exec-kind", "auto.inline", "--color", "never"]));
    // showSecrets: false keeps the update history (which holds the config) masked.
    expect(fake.callsTo("stack history")[0]!.args).not.toContain("--show-secrets");
    expect(result).toMatchObject({ stackName: STACK, changed: true, values: { secretAccessKey: TEST_SECRET_KEY, awsRegion: "us-east-1" } });
  });

  test("a new stack with a team's KMS key: made with it, and no passphrase is generated", async () => {
    const fake = new FakePulumi();
    const { events, onProgress } = progressRecorder();
    const kms = "awskms://alias/census?region=us-east-1";
    await deployStack({ env: temp.env, secretsProvider: kms }, INPUTS, { onProgress, pulumiCommand: fake });

    expect(fake.callsTo("stack init")[0]!.args).toEqual(["stack", "init", STACK, "--secrets-provider", kms]);
    expect(existsSync(join(temp.home, "passphrase"))).toBe(false);
    expect(JSON.stringify(events)).not.toContain("Generated a passphrase");
  });

  test("an existing stack: its settings are restored from the backend first; another provider is moved to only by an update", async () => {
    const fake = new FakePulumi();
    const { onProgress } = progressRecorder();
    await deployStack({ env: temp.env }, INPUTS, { onProgress, pulumiCommand: fake });
    fake.calls.length = 0;

    await readStackValues({ env: temp.env, secretsProvider: "awskms://alias/census", ...INPUTS }, { showSecrets: false, pulumiCommand: fake });
    expect(fake.calls.map((call) => call.args.slice(0, 2).join(" ")).slice(0, 2)).toEqual(["stack select", "config refresh"]);
    expect(fake.callsTo("stack change-secrets-provider")).toHaveLength(0);

    await deployStack({ env: temp.env, secretsProvider: "awskms://alias/census" }, INPUTS, { onProgress, pulumiCommand: fake });
    expect(fake.callsTo("stack change-secrets-provider")[0]!.args).toEqual(["stack", "change-secrets-provider", "awskms://alias/census", "--stack", STACK]);
  });

  test("sets only the config keys it is given, all plaintext, none by path", async () => {
    const fake = new FakePulumi();
    await deployStack({ env: temp.env }, INPUTS, { onProgress: () => {}, pulumiCommand: fake });
    await deployStack({ env: temp.env }, { ...INPUTS, bucketName: "my-bucket", kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k" }, { onProgress: () => {}, pulumiCommand: fake });

    const [first, second] = fake.callsTo("config set-all");
    expect(configArgs(first!)).toEqual([
      "--plaintext",
      "aws:region=us-east-1",
      "--plaintext",
      `census-pinpoint:pinpointProjectId=${INPUTS.projectId}`,
      "--plaintext",
      "census-pinpoint:expirationDays=7",
    ]);
    expect(configArgs(second!)).toEqual(expect.arrayContaining(["census-pinpoint:bucketName=my-bucket", "census-pinpoint:kmsKeyArn=arn:aws:kms:us-east-1:123456789012:key/k"]));
    for (const call of [first!, second!]) {
      expect(call.args).not.toContain("--path");
      expect(call.args).not.toContain("--secret");
    }
    // Besides set-all, only `config refresh` (which restores the backend's config) touches config.
    expect(fake.calls.some((call) => call.args[0] === "config" && !["set-all", "refresh"].includes(call.args[1]!))).toBe(false);
  });

  test("a re-run without flags keeps earlier customizations: it never removes config", async () => {
    const fake = new FakePulumi();
    await deployStack({ env: temp.env }, { ...INPUTS, censusUserName: "census-reader" }, { onProgress: () => {}, pulumiCommand: fake });
    const { values } = await deployStack({ env: temp.env }, INPUTS, { onProgress: () => {}, pulumiCommand: fake });

    expect(fake.stacks.get(STACK)!.config["census-pinpoint:censusUserName"]).toBe("census-reader");
    expect(values.censusUserName).toBe("census-reader");
  });

  test("keeps the work dir and the default file backend under CENSUS_PINPOINT_HOME", async () => {
    const fake = new FakePulumi();
    const { workDir } = await deployStack({ env: temp.env }, INPUTS, { onProgress: () => {}, pulumiCommand: fake });

    expect(workDir).toBe(join(temp.home, "workspaces", STACK));
    expect(statSync(join(temp.home, "state")).isDirectory()).toBe(true);
    // Only the look for an existing stack runs before a passphrase is generated for the new one.
    expect(fake.calls[0]!.args.slice(0, 2)).toEqual(["stack", "select"]);
    expect(fake.calls[0]!.env.PULUMI_CONFIG_PASSPHRASE_FILE).toBeUndefined();
    for (const call of fake.calls) {
      expect(call.cwd).toBe(workDir);
      expect(call.env.PULUMI_BACKEND_URL).toBe(`file://${join(temp.home, "state")}`);
      if (call !== fake.calls[0]) expect(call.env.PULUMI_CONFIG_PASSPHRASE_FILE).toBe(join(temp.home, "passphrase"));
    }
    // What lets `pulumi -C <workDir> stack output` find the same stack.
    const project = readFileSync(join(workDir, "Pulumi.yaml"), "utf8");
    expect(project).toMatch(/^name: census-pinpoint$/m);
    expect(project).toMatch(/^runtime: nodejs$/m);
    expect(project).toContain(`url: file://${join(temp.home, "state")}`);
  });

  test("--backend-url wins over PULUMI_BACKEND_URL, which wins over the file backend", async () => {
    const fake = new FakePulumi();
    const env = { ...temp.env, PULUMI_BACKEND_URL: "s3://team-state" };
    await deployStack({ env }, INPUTS, { onProgress: () => {}, pulumiCommand: fake });
    await deployStack({ env, backendUrl: "https://api.pulumi.com", profile: "admin" }, INPUTS, { onProgress: () => {}, pulumiCommand: fake });

    const [first, second] = fake.callsTo("up");
    expect(first!.env.PULUMI_BACKEND_URL).toBe("s3://team-state");
    expect(second!.env.PULUMI_BACKEND_URL).toBe("https://api.pulumi.com");
    expect(second!.env.AWS_PROFILE).toBe("admin");
    expect(existsSync(join(temp.home, "state"))).toBe(false);
  });

  test("a second run with the same inputs reports no changes", async () => {
    const fake = new FakePulumi();
    const first = await deployStack({ env: temp.env }, INPUTS, { onProgress: () => {}, pulumiCommand: fake });
    const { events, onProgress } = progressRecorder();
    const second = await deployStack({ env: temp.env }, INPUTS, { onProgress, pulumiCommand: fake });
    const third = await deployStack({ env: temp.env }, { ...INPUTS, expirationDays: 30 }, { onProgress: () => {}, pulumiCommand: fake });

    expect([first.changed, second.changed, third.changed]).toEqual([true, false, true]);
    expect(fake.callsTo("stack init")).toHaveLength(1);
    expect(second.values).toEqual(first.values);
    // Unchanged resources are not progress worth a line.
    expect(events.filter((event) => event.kind === "resource")).toEqual([]);
  });

  test("reports resource steps with their duration, and raw output only when verbose", async () => {
    const fake = new FakePulumi();
    const quiet = progressRecorder();
    await deployStack({ env: temp.env }, INPUTS, { onProgress: quiet.onProgress, pulumiCommand: fake });
    const verbose = progressRecorder();
    await deployStack({ env: temp.env }, { ...INPUTS, expirationDays: 9 }, { onProgress: verbose.onProgress, pulumiCommand: fake, verbose: true });

    const resources = quiet.events.filter((event) => event.kind === "resource");
    expect(resources).toContainEqual({ kind: "resource", phase: "start", op: "create", type: "aws:s3/bucket:Bucket", name: "staging-bucket", what: "S3 bucket staging-bucket" });
    expect(resources).toContainEqual({ kind: "resource", phase: "done", op: "create", type: "aws:iam/user:User", name: "census-user", what: "IAM user census-user", elapsedMs: expect.any(Number) });
    expect(resources.some((event) => event.kind === "resource" && event.type.startsWith("pulumi:"))).toBe(false);
    expect(quiet.events.some((event) => event.kind === "engine-output")).toBe(false);
    expect(verbose.events).toContainEqual({ kind: "engine-output", line: "    secretAccessKey: [secret]" });
    expect(verbose.events).toContainEqual({ kind: "engine-output", line: "Resources:" });
  });

  test("engine events also arrive from CLIs older than 3.206, which write an event log file", async () => {
    const fake = new FakePulumi({ version: "3.190.0" });
    fake.failNext("up", {
      stderr: "error: update failed",
      events: [warningEvent("aws:region us-east-1 is deprecated for this test"), ...failedResourceEvents(STACK, "create", "aws:iam/role:Role", "importer-role", "error: creating IAM Role: AccessDenied")],
    });
    const { events, onProgress } = progressRecorder();
    await expect(deployStack({ env: temp.env }, INPUTS, { onProgress, pulumiCommand: fake })).rejects.toThrow(PulumiError);

    expect(fake.callsTo("up")[0]!.args.find((arg) => arg.endsWith("eventlog.txt"))).toBeDefined();
    expect(events).toContainEqual({ kind: "warning", message: "aws:region us-east-1 is deprecated for this test" });
    expect(events).toContainEqual(expect.objectContaining({ kind: "resource", phase: "failed", name: "importer-role", error: "creating IAM Role: AccessDenied" }));
  });

  test("a failed resource becomes a PulumiError naming it, the AWS error, and that re-running resumes", async () => {
    const fake = new FakePulumi();
    const awsError =
      "error: 1 error occurred:\n\t* creating IAM User (census-pinpoint-01234567): operation error IAM: CreateUser, https response error StatusCode: 400, RequestID: 1b2c, Throttling: Rate exceeded\n";
    fake.failNext("up", { stderr: "error: update failed", events: failedResourceEvents(STACK, "create", "aws:iam/user:User", "census-user", awsError) });

    const error = await deployStack({ env: temp.env }, INPUTS, { onProgress: () => {}, pulumiCommand: fake, resumeCommand: "census-pinpoint setup --yes" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PulumiError);
    expect((error as PulumiError).exitCode).toBe(EXIT.pulumi);
    expect((error as PulumiError).message).toBe(
      "Could not create census-user (aws:iam/user:User): creating IAM User (census-pinpoint-01234567): operation error IAM: CreateUser, https response error StatusCode: 400, RequestID: 1b2c, Throttling: Rate exceeded",
    );
    expect((error as PulumiError).hint).toContain("Re-running `census-pinpoint setup --yes` resumes where it stopped.");
  });

  test("aborting the signal during the update is an InterruptedError with the command that resumes", async () => {
    const fake = new FakePulumi();
    fake.failNext("up", { runUntilAborted: true, stderr: "error: update canceled", events: failedResourceEvents(STACK, "create", "aws:s3/bucket:Bucket", "staging-bucket", "x").slice(0, 1) });
    const controller = new AbortController();
    // Ctrl-C while the engine works on the bucket.
    const onProgress = (event: ProgressEvent) => event.kind === "resource" && controller.abort();

    const error = await deployStack({ env: temp.env }, INPUTS, { onProgress, pulumiCommand: fake, signal: controller.signal, resumeCommand: "census-pinpoint setup --region us-east-1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InterruptedError);
    expect((error as InterruptedError).exitCode).toBe(130);
    expect((error as InterruptedError).hint).toBe("Run `census-pinpoint setup --region us-east-1` to resume where it stopped.");
    expect(fake.callsTo("up")).toHaveLength(1);
  });

  test("an already aborted signal stops before the update starts", async () => {
    const fake = new FakePulumi();
    const controller = new AbortController();
    controller.abort();
    await expect(deployStack({ env: temp.env }, INPUTS, { onProgress: () => {}, pulumiCommand: fake, signal: controller.signal })).rejects.toThrow(InterruptedError);
    expect(fake.callsTo("up")).toEqual([]);
  });
});
