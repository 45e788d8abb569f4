import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { CliError, EXIT, InterruptedError, PulumiError, UsageError } from "../../../wizard/errors.js";
import { pulumiFailureToCliError } from "../../../wizard/pulumi/failure.js";
import { deployStack } from "../../../wizard/pulumi/deployStack.js";
import { commandError, FakePulumi, type FakeFailure } from "../../helpers/fakePulumi.js";
import { INPUTS, STACK, useTempHome } from "./setup.js";

const temp = useTempHome();

const RESUME = "census-pinpoint setup --region us-east-1 --project-id 0123";

function upFailure(failure: FakeFailure): Error {
  return commandError(["up", "--yes", "--skip-preview", "--stack", STACK], failure);
}

/** Runs setup against a fake whose `prefix` command fails so; resolves to what deployStack threw. */
async function deployFailing(prefix: string, failure: FakeFailure): Promise<CliError> {
  const fake = new FakePulumi();
  fake.failNext(prefix, failure);
  const error = await deployStack({ env: temp.env }, INPUTS, { onProgress: () => {}, pulumiCommand: fake, resumeCommand: RESUME }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CliError);
  return error as CliError;
}

// As the real CLI (3.248) prints it: the backend URL's query follows the lock file's path.
const DIY_LOCK =
  "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n" +
  "  file:///srv/state/.pulumi/locks/organization/census-pinpoint/us-east-1-x/2f1c.json?no_tmp_dir=true: created by ann@laptop (pid 4242) at 2026-11-01T10:00:00Z";

describe("a locked stack", () => {
  test("on the file backend: check for a running process, then where the lock file is; nothing is removed", async () => {
    const lockFile = join(temp.home, "state", ".pulumi", "locks", "organization", "census-pinpoint", "us-east-1-x", "2f1c.json");
    mkdirSync(dirname(lockFile), { recursive: true });
    writeFileSync(lockFile, "{}");
    const error = await deployFailing("up", { stderr: DIY_LOCK.replace("/srv/state", join(temp.home, "state")) });
    expect(existsSync(lockFile)).toBe(true);
    expect(error).toBeInstanceOf(PulumiError);
    expect(error.exitCode).toBe(EXIT.pulumi);
    expect(error.message).toBe(`Stack ${STACK} is locked: another update is running, or one that was killed left its lock behind.`);
    expect(error.hint).toContain("no census-pinpoint or pulumi process is still working on it");
    expect(error.hint).toContain(`  ${join(temp.home, "state")}/.pulumi/locks/organization/census-pinpoint/us-east-1-x/2f1c.json: created by ann@laptop (pid 4242)`);
    expect(error.hint).not.toContain("no_tmp_dir");
    expect(error.hint).toContain(`then re-run \`${RESUME}\``);
    expect(error.hint).toContain("Never delete a lock while an update runs");
  });

  test("without lock lines in the CLI's text, the hint names the stack's lock directory", () => {
    const error = pulumiFailureToCliError(upFailure({ stderr: "error: the stack is currently locked by 2 lock(s)." }), { stackName: STACK, backendUrl: "file:///srv/state" }) as PulumiError;
    expect(error.hint).toContain(`  /srv/state/.pulumi/locks/organization/census-pinpoint/${STACK}/`);
    expect(pulumiFailureToCliError(upFailure({ stderr: "error: the stack is currently locked by 1 lock(s)." }), { stackName: STACK, backendUrl: "s3://team-state" }) as PulumiError).toMatchObject({
      hint: expect.stringContaining(`  s3://team-state/.pulumi/locks/organization/census-pinpoint/${STACK}/`),
    });
  });

  test("on Pulumi Cloud: check the console, and `pulumi cancel` only if nothing is really running", () => {
    const error = upFailure({ stderr: "error: [409] Conflict: Another update is currently in progress." });
    expect(error.name).toBe("ConcurrentUpdateError");
    const mapped = pulumiFailureToCliError(error, { stackName: STACK, backendUrl: "https://api.pulumi.com", workDir: "/w", resumeCommand: RESUME }) as PulumiError;
    expect(mapped).toBeInstanceOf(PulumiError);
    expect(mapped.hint).toContain("Pulumi Cloud console");
    expect(mapped.hint).toContain(`Only if no update is really running, cancel the stuck one with \`pulumi -C /w cancel --stack ${STACK} --yes\``);
  });
});

test("a missing CLI (ENOENT) says how to install it", async () => {
  const error = await deployFailing("stack select", { spawnError: "ENOENT" });
  expect(error).toBeInstanceOf(PulumiError);
  expect(error.exitCode).toBe(EXIT.pulumi);
  expect(error.message).toMatch(/^The Pulumi CLI was not found\./);
  expect(error.hint).toContain("curl -fsSL https://get.pulumi.com | sh");
  expect(error.hint).toContain("brew install pulumi/tap/pulumi");
  expect(error.hint).toContain("https://www.pulumi.com/docs/install/");
});

describe("the passphrase", () => {
  test("a wrong one is a usage error naming both variables and where this run's came from", async () => {
    const error = await deployFailing("up", {
      stderr: "error: getting secrets manager: incorrect passphrase, please set PULUMI_CONFIG_PASSPHRASE to the correct passphrase or set PULUMI_CONFIG_PASSPHRASE_FILE to a file containing the passphrase",
    });
    expect(error).toBeInstanceOf(UsageError);
    expect(error.exitCode).toBe(EXIT.usage);
    expect(error.message).toBe(`The passphrase does not unlock the secrets of stack ${STACK}.`);
    expect(error.hint).toContain("PULUMI_CONFIG_PASSPHRASE, or PULUMI_CONFIG_PASSPHRASE_FILE");
    expect(error.hint).toContain(`This run used the passphrase file ${join(temp.home, "passphrase")}.`);
  });

  test("a missing one says which variables to set", () => {
    const error = pulumiFailureToCliError(upFailure({ stderr: "error: passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE environment variables" }), { stackName: STACK }) as UsageError;
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(`Pulumi needs the passphrase that encrypts the secrets of stack ${STACK}.`);
    expect(error.hint).toContain("PULUMI_CONFIG_PASSPHRASE_FILE");
  });
});

describe("an unreachable backend", () => {
  test("names the URL and the first line of the reason", async () => {
    const stderr = 'error: problem logging in: read ".pulumi/meta.yaml": blob (key ".pulumi/meta.yaml") (code=Unknown): NoCredentialProviders: no valid providers in chain';
    const fake = new FakePulumi();
    fake.failNext("stack select", { stderr });
    const error = await deployStack({ env: temp.env, backendUrl: "s3://team-state" }, INPUTS, { onProgress: () => {}, pulumiCommand: fake }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PulumiError);
    expect((error as PulumiError).message).toBe(
      'Cannot use the Pulumi backend s3://team-state: problem logging in: read ".pulumi/meta.yaml": blob (key ".pulumi/meta.yaml") (code=Unknown): NoCredentialProviders: no valid providers in chain',
    );
    expect((error as PulumiError).hint).toContain("--backend-url or PULUMI_BACKEND_URL");
  });

  test("a network error counts as the backend's only if it names the backend's host", () => {
    const context = { stackName: STACK, backendUrl: "https://pulumi.example.com", resumeCommand: RESUME };
    const backend = pulumiFailureToCliError(upFailure({ stderr: 'error: Get "https://pulumi.example.com/api/user": dial tcp: lookup pulumi.example.com: no such host' }), context) as PulumiError;
    expect(backend.message).toMatch(/^Cannot use the Pulumi backend https:\/\/pulumi\.example\.com: /);
    const aws = pulumiFailureToCliError(upFailure({ stderr: "error: dial tcp: lookup iam.amazonaws.com: no such host" }), context) as PulumiError;
    expect(aws.message).toBe(`Pulumi failed on stack ${STACK}: dial tcp: lookup iam.amazonaws.com: no such host`);
  });
});

describe("any other failed command", () => {
  test("keeps the AWS error's first meaningful lines and says re-running resumes", () => {
    const stdout = [
      `Updating (${STACK}):`,
      "Diagnostics:",
      "  aws:iam:Role (importer-role):",
      "    error: 1 error occurred:",
      "    \t* creating IAM Role (CensusPinpointSegmentImporter-01234567): operation error IAM: CreateRole, https response error StatusCode: 403, RequestID: r-1, api error AccessDenied: User: arn:aws:iam::123456789012:user/dev is not authorized to perform: iam:CreateRole",
      "",
      "Resources:",
      "    4 unchanged",
    ].join("\n");
    const error = pulumiFailureToCliError(upFailure({ stderr: "error: update failed", stdout }), { stackName: STACK, resumeCommand: RESUME }) as PulumiError;
    expect(error).toBeInstanceOf(PulumiError);
    expect(error.message).toBe(
      `Pulumi failed on stack ${STACK}: creating IAM Role (CensusPinpointSegmentImporter-01234567): operation error IAM: CreateRole, https response error StatusCode: 403, RequestID: r-1, api error AccessDenied: User: arn:aws:iam::123456789012:user/dev is not authorized to perform: iam:CreateRole`,
    );
    expect(error.hint).toBe(`Fix the cause above. Re-running \`${RESUME}\` resumes where it stopped.`);
  });

  test("names every resource the engine reported failed", () => {
    const failures = [
      { op: "create", type: "aws:s3/bucket:Bucket", name: "staging-bucket", error: "BucketAlreadyExists: taken" },
      { op: "update", type: "aws:iam/role:Role", name: "importer-role" },
    ];
    const error = pulumiFailureToCliError(upFailure({ stderr: "error: update failed" }), { stackName: STACK, resumeCommand: RESUME, failures }) as PulumiError;
    expect(error.message).toBe("Could not create staging-bucket (aws:s3/bucket:Bucket): BucketAlreadyExists: taken\nCould not update importer-role (aws:iam/role:Role).");
  });

  test("a name taken by something outside the stack names the flag, not a re-run that would fail the same way", () => {
    const failures = [{ op: "create", type: "aws:iam/user:User", name: "census-user", error: "creating IAM User (ann): operation error IAM: CreateUser, api error EntityAlreadyExists: User with name ann already exists." }];
    const error = pulumiFailureToCliError(upFailure({ stderr: "error: update failed" }), { stackName: STACK, resumeCommand: RESUME, failures }) as PulumiError;
    expect(error.message).toBe(
      "Could not create census-user (aws:iam/user:User): creating IAM User (ann): operation error IAM: CreateUser, api error EntityAlreadyExists: User with name ann already exists.",
    );
    expect(error.hint).toBe("A name the stack wants is taken by something outside it: pick another with --census-user-name <name>. census-pinpoint never takes over what its stack did not create.");
    expect(error.hint).not.toContain("Re-running");
  });
});

test("an interrupted update is an InterruptedError whatever the CLI said", () => {
  const error = pulumiFailureToCliError(upFailure({ stderr: "error: update canceled" }), { stackName: STACK, resumeCommand: RESUME, interruptedBy: "SIGINT" });
  expect(error).toBeInstanceOf(InterruptedError);
  expect((error as InterruptedError).exitCode).toBe(EXIT.interrupted);
  expect((error as InterruptedError).hint).toBe(`Run \`${RESUME}\` to resume where it stopped.`);
});

test.each([
  ["SIGTERM", EXIT.terminated],
  ["SIGHUP", EXIT.hungUp],
] as const)("an update stopped by %s says so and exits %i", (signal, code) => {
  const error = pulumiFailureToCliError(upFailure({ stderr: "error: update canceled" }), { stackName: STACK, resumeCommand: RESUME, interruptedBy: signal }) as InterruptedError;
  expect(error.message).toBe(`The update of stack ${STACK} was interrupted by ${signal}; resources it was changing may be half-done.`);
  expect(error.exitCode).toBe(code);
});

test("errors that are not Pulumi's, and typed ones, come back unchanged", () => {
  const plain = new TypeError("boom");
  const typed = new UsageError("bad");
  expect(pulumiFailureToCliError(plain, { stackName: STACK })).toBe(plain);
  expect(pulumiFailureToCliError(typed, { interruptedBy: "SIGINT" })).toBe(typed);
});
