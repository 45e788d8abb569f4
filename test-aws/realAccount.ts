/**
 * The real-account suite: `npm run test:aws`. Against a real AWS account, with the real Pulumi CLI and
 * the built CLI run as a child process (`--no-input --yes --json` where the command takes them), it runs
 * setup → verify → credentials (masked, then --show-secret) → rotate-key → verify with the new key →
 * rotate-key --finish → list → teardown, checking each exit code and JSON document, that no secret
 * key reaches stderr, and that no file under CENSUS_PINPOINT_HOME holds one in clear.
 *
 * It runs only when asked: CENSUS_PINPOINT_AWS_TEST=1, CENSUS_PINPOINT_AWS_TEST_REGION, a Pinpoint
 * project (CENSUS_PINPOINT_AWS_TEST_PROJECT_ID, or CENSUS_PINPOINT_AWS_TEST_CREATE_PROJECT=1 to create
 * one with CreateApp and delete it afterwards), administrator credentials and `pulumi` on PATH.
 * Otherwise it prints why it did not run and exits 0. AWS took no new Pinpoint customers after
 * 20 May 2025 and ended the engagement features on 30 October 2026, so CreateApp may be refused: the
 * suite then says so and does not run; name an existing project instead.
 *
 * Two runs never collide: resource names carry a random suffix and each run has its own
 * CENSUS_PINPOINT_HOME (so its own state backend and passphrase). Teardown runs in a `finally`, also
 * after a failed step or Ctrl-C; if it cannot finish, the suite prints what is left and keeps the
 * state folder so the stack can still be torn down. Exit codes: 0 passed (or did not run), 1 failed.
 */
import { CreateAppCommand, DeleteAppCommand, PinpointClient } from "@aws-sdk/client-pinpoint";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomInt } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { stackName } from "../infra/names.js";
import { awsClientConfig } from "../wizard/aws/clients.js";
import { getCallerIdentity, type CallerIdentity } from "../wizard/aws/identity.js";
import { END_OF_SUPPORT } from "../wizard/aws/pinpoint.js";
import { MASKED_SECRET } from "../wizard/censusValues.js";
import { AwsCredentialsError, CliError } from "../wizard/errors.js";
import { redactSecrets } from "../wizard/redact.js";
import type { VerifyCheck } from "../wizard/verify/report.js";
import { filesUnder } from "../test/helpers/files.js";
import { checkPreconditions, type SuiteSettings } from "./preconditions.js";
import { REPO, runCli, type CliRun } from "./runCli.js";

const MINUTE = 60_000;

function randomSuffix(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from({ length: 6 }, () => alphabet[randomInt(alphabet.length)]).join("");
}

/** A throw-away project, or why AWS would not make one. */
async function createProject(settings: SuiteSettings, name: string): Promise<{ id: string } | { refused: string }> {
  const pinpoint = new PinpointClient(awsClientConfig({ region: settings.region, profile: settings.profile, env: process.env }, "Pinpoint"));
  try {
    const { ApplicationResponse } = await pinpoint.send(new CreateAppCommand({ CreateApplicationRequest: { Name: name, tags: { "managed-by": "census-pinpoint-test" } } }));
    return { id: ApplicationResponse!.Id! };
  } catch (error) {
    return { refused: `${(error as Error).name}: ${redactSecrets((error as Error).message)}` };
  } finally {
    pinpoint.destroy();
  }
}

async function deleteProject(settings: SuiteSettings, id: string): Promise<void> {
  const pinpoint = new PinpointClient(awsClientConfig({ region: settings.region, profile: settings.profile, env: process.env }, "Pinpoint"));
  try {
    await pinpoint.send(new DeleteAppCommand({ ApplicationId: id }));
  } finally {
    pinpoint.destroy();
  }
}

/** A step that failed and has said why. */
class StepFailure extends Error {}

class Suite {
  /** Every secret key seen so far: none may appear on any step's stderr, nor in a file. */
  readonly secrets = new Set<string>();
  readonly notes = new Set<string>();

  constructor(readonly env: NodeJS.ProcessEnv) {}

  learnSecret(value: unknown): void {
    if (typeof value === "string" && value !== "") this.secrets.add(value);
  }

  async step(name: string, args: string[], check: (run: CliRun) => void, timeoutMs = 10 * MINUTE): Promise<CliRun> {
    console.log(`\n▶ ${name}: census-pinpoint ${args.join(" ")}`);
    const run = await runCli(args, this.env, timeoutMs);
    try {
      check(run);
      for (const secret of this.secrets) assert.ok(!run.stderr.includes(secret), "a secret key is on stderr");
    } catch (error) {
      console.error(`✘ ${name}: ${(error as Error).message}\n  exit code ${run.code}; stdout:\n${redactSecrets(run.stdout)}`);
      throw new StepFailure(name, { cause: error });
    }
    console.log(`✔ ${name} (${Math.round(run.seconds)} s)`);
    return run;
  }

  /**
   * Exit 0 with no failed check; or exit 5 when the one failure is Pinpoint refusing GetApp for its
   * end of support, which no setup can fix (noted at the end: Census cannot connect then).
   */
  expectVerified(run: CliRun, checks: VerifyCheck[]): void {
    const failed = checks.filter((check) => check.status === "failed");
    if (run.code === 0 && failed.length === 0) return;
    const retired = failed.length === 1 && failed[0]!.id === "pinpoint-project" && (failed[0]!.detail ?? "").includes(`apparently because ${END_OF_SUPPORT}`);
    assert.ok(run.code === 5 && retired, `exit ${run.code}; failed checks: ${failed.map((check) => `${check.id} (${check.detail})`).join("; ") || "none"}`);
    this.notes.add(`Amazon Pinpoint refused GetApp (${END_OF_SUPPORT}): everything else passed, but Census cannot sync into this project.`);
  }
}

function expectCensusValues(document: any, expected: { projectId: string; region: string; bucket: string; role: string }): void {
  assert.match(document.accessKeyId, /^AKIA[A-Z0-9]{16}$/);
  assert.equal(typeof document.secretAccessKey, "string");
  assert.equal(document.secretAccessKey.length, 40);
  assert.equal(document.pinpointProjectId, expected.projectId);
  assert.equal(document.stagingBucketName, expected.bucket);
  assert.match(document.importerRoleArn, new RegExp(`^arn:aws[\\w-]*:iam::\\d{12}:role/${expected.role}$`));
  assert.equal(document.awsRegion, expected.region);
}

async function runSuite(settings: SuiteSettings, projectId: string, suite: Suite, names: { bucket: string; role: string; user: string }, home: string): Promise<void> {
  const { region } = settings;
  const stack = stackName(region, projectId);
  const expected = { projectId, region, bucket: names.bucket, role: names.role };

  // --accept-end-of-support: since 30 October 2026 Pinpoint may refuse GetApp for the project, and
  // setup would then stop before creating anything; the rest of the flow is still worth proving, and
  // expectVerified notes the refusal.
  const setup = await suite.step(
    "setup",
    ["setup", "--region", region, "--project-id", projectId, "--bucket-name", names.bucket, "--importer-role-name", names.role, "--census-user-name", names.user, "--accept-end-of-support", "--no-input", "--yes", "--json"],
    (run) => {
      assert.ok(run.document, "stdout is not one JSON document");
      suite.learnSecret(run.document.secretAccessKey);
      expectCensusValues(run.document, expected);
      assert.equal(run.document.stackName, stack);
      assert.equal(run.document.censusUserName, names.user);
      suite.expectVerified(run, run.document.verification.checks);
    },
    20 * MINUTE,
  );
  const first = setup.document;

  await suite.step("verify", ["verify", "--stack", stack, "--no-input", "--json"], (run) => {
    assert.equal(run.document?.stack, stack);
    suite.expectVerified(run, run.document.checks);
  });

  await suite.step("credentials (masked)", ["credentials", "--stack", stack, "--no-input", "--json"], (run) => {
    assert.equal(run.code, 0);
    assert.equal(run.document.accessKeyId, first.accessKeyId);
    assert.equal(run.document.secretAccessKey, MASKED_SECRET);
    assert.ok(!run.stdout.includes(first.secretAccessKey), "the secret is on stdout without --show-secret");
  });

  await suite.step("credentials --show-secret", ["credentials", "--stack", stack, "--no-input", "--json", "--show-secret"], (run) => {
    assert.equal(run.code, 0);
    assert.equal(run.document.secretAccessKey, first.secretAccessKey);
  });

  const rotated = await suite.step("rotate-key (phase 1)", ["rotate-key", "--stack", stack, "--no-input", "--yes", "--json"], (run) => {
    assert.equal(run.code, 0);
    suite.learnSecret(run.document.secretAccessKey);
    expectCensusValues(run.document, expected);
    assert.equal(run.document.newKeyCreated, true);
    assert.equal(run.document.previousAccessKeyId, first.accessKeyId);
    assert.notEqual(run.document.accessKeyId, first.accessKeyId);
    assert.notEqual(run.document.secretAccessKey, first.secretAccessKey);
  });

  await suite.step("verify (the new key)", ["verify", "--stack", stack, "--no-input", "--json"], (run) => {
    suite.expectVerified(run, run.document.checks);
  });

  await suite.step("rotate-key --finish (phase 2)", ["rotate-key", "--stack", stack, "--finish", "--no-input", "--yes", "--json"], (run) => {
    assert.equal(run.code, 0);
    assert.equal(run.document.deletedAccessKeyId, first.accessKeyId);
    assert.equal(run.document.accessKeyId, rotated.document.accessKeyId);
  });

  await suite.step("list", ["list", "--json"], (run) => {
    assert.equal(run.code, 0);
    const row = run.document.stacks.find((candidate: { stackName: string }) => candidate.stackName === stack);
    assert.ok(row, `stack ${stack} is not listed`);
    assert.equal(row.accessKeyId, rotated.document.accessKeyId);
    assert.equal(row.rotationPending, false);
  });

  console.log("\n▶ no file under CENSUS_PINPOINT_HOME holds a secret key in clear (Pulumi's state keeps them encrypted)");
  const holding = filesUnder(home).filter((file) => [...suite.secrets].some((secret) => readFileSync(file, "latin1").includes(secret)));
  assert.deepEqual(holding.map((file) => relative(home, file)), [], "files holding a secret key in clear");
  console.log("✔ none does");
}

/** Tears the stack down; false (with what is left, and how to remove it) when that did not work. */
async function tearDown(suite: Suite, stack: string, names: { bucket: string; role: string; user: string }, home: string): Promise<boolean> {
  try {
    await suite.step(
      "teardown",
      ["teardown", "--stack", stack, "--no-input", "--yes", "--json"],
      (run) => {
        assert.equal(run.code, 0);
        assert.ok(["torn-down", "nothing-to-tear-down"].includes(run.document.status), `status ${run.document.status}`);
        assert.deepEqual(run.document.leftovers, []);
      },
      20 * MINUTE,
    );
    return true;
  } catch {
    console.error(
      [
        "\nCleanup did not finish. This run may have left, in the account:",
        `  S3 bucket ${names.bucket}; IAM role ${names.role}; IAM user ${names.user} (with its access keys) and group ${names.user}-group`,
        `The stack's state and passphrase are kept in ${home}. Retry with:`,
        `  CENSUS_PINPOINT_HOME=${home} node ${join(REPO, "dist/wizard/bin.js")} teardown --stack ${stack} --yes`,
      ].join("\n"),
    );
    return false;
  }
}

async function main(): Promise<number> {
  // As the CLI's bin does: the SDK's notice about Node 20 would otherwise open every run.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const preconditions = await checkPreconditions(process.env);
  if (!preconditions.run) {
    console.log(["census-pinpoint real-account suite: did not run.", ...preconditions.reasons].join("\n"));
    return 0;
  }
  const { settings } = preconditions;
  let identity: CallerIdentity;
  try {
    identity = await getCallerIdentity({ region: settings.region, profile: settings.profile, env: process.env });
  } catch (error) {
    if (!(error instanceof AwsCredentialsError)) throw error;
    console.log(["census-pinpoint real-account suite: did not run.", `AWS did not accept the credentials: ${error.message}`, error.hint ?? ""].join("\n"));
    return 0;
  }
  console.log("Building the CLI (npm run build)…");
  if (spawnSync("npm", ["run", "build", "--silent"], { cwd: REPO, stdio: "inherit" }).status !== 0) return 1;
  const suffix = randomSuffix();
  console.log(`census-pinpoint real-account suite: account ${identity.accountId} as ${identity.arn}, region ${settings.region}, run ${suffix}.`);

  let projectId = settings.projectId;
  if (projectId === undefined) {
    const created = await createProject(settings, `census-pinpoint-test-${suffix}`);
    if ("refused" in created) {
      console.log(
        [
          "census-pinpoint real-account suite: did not run.",
          `AWS refused to create a throw-away Pinpoint project (CreateApp): ${created.refused}.`,
          "AWS takes no new Amazon Pinpoint customers since 20 May 2025 and ended its engagement features on 30 October 2026;",
          "set CENSUS_PINPOINT_AWS_TEST_PROJECT_ID to a project this account already has.",
        ].join("\n"),
      );
      return 0;
    }
    projectId = created.id;
    console.log(`Created the throw-away Pinpoint project ${projectId}; it is deleted at the end.`);
  }

  const home = mkdtempSync(join(tmpdir(), `census-pinpoint-aws-test-${suffix}-`));
  const env: NodeJS.ProcessEnv = { ...process.env, CENSUS_PINPOINT_HOME: home, NO_COLOR: "1" };
  // This run's own state backend and generated passphrase, whatever the maintainer's shell has set.
  for (const name of ["PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE"]) delete env[name];
  const names = {
    bucket: `census-pinpoint-test-${identity.accountId}-${suffix}`,
    role: `CensusPinpointTestImporter-${suffix}`,
    user: `census-pinpoint-test-${suffix}`,
  };
  const suite = new Suite(env);

  // Ctrl-C reaches the CLI too, which stops its Pulumi operation safely; the suite then still tears
  // down. A second Ctrl-C quits at once.
  let interrupts = 0;
  process.on("SIGINT", () => {
    if (++interrupts > 1) process.exit(130);
    console.error("\nInterrupted: tearing down what this run created first (Ctrl-C again quits at once and may leave resources behind).");
  });

  let passed = false;
  let cleaned = false;
  try {
    await runSuite(settings, projectId, suite, names, home);
    passed = true;
  } catch (error) {
    if (!(error instanceof StepFailure)) console.error(`✘ ${redactSecrets(String((error as Error).stack ?? error))}`);
  } finally {
    cleaned = await tearDown(suite, stackName(settings.region, projectId), names, home);
    if (cleaned) rmSync(home, { recursive: true, force: true });
    if (settings.projectId === undefined) {
      try {
        await deleteProject(settings, projectId);
        console.log(`Deleted the throw-away Pinpoint project ${projectId}.`);
      } catch (error) {
        cleaned = false;
        console.error(`Could not delete the throw-away Pinpoint project ${projectId} (${(error as Error).name}): aws pinpoint delete-app --application-id ${projectId} --region ${settings.region}`);
      }
    }
  }
  for (const note of suite.notes) console.log(`\nNote: ${note}`);
  console.log(passed && cleaned ? "\ncensus-pinpoint real-account suite: passed." : "\ncensus-pinpoint real-account suite: FAILED.");
  return passed && cleaned ? 0 : 1;
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(error instanceof CliError ? [error.message, error.hint].filter(Boolean).join("\n") : redactSecrets(String((error as Error).stack ?? error)));
  return 1;
});
