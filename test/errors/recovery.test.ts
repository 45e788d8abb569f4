// Recovering from a run that did not finish, as docs/errors.md promises: a failed or interrupted
// setup converges when run again, the interrupted one says the one command to run, and a stale lock
// is reported with the safe way out and left where it is. AWS answers from moto_server (Pinpoint's
// GetApp from aws-sdk-client-mock, so stack names are fixed); Pulumi is the fake CLI.
import { GetAppCommand, PinpointClient } from "@aws-sdk/client-pinpoint";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { EventEmitter } from "node:events";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { EXIT } from "../../wizard/errors.js";
import { lastErrorLine, runCli, type CliRunOptions } from "../helpers/cliIo.js";
import { FakePulumi, failedResourceEvents, resourceEvents } from "../helpers/fakePulumi.js";
import { DUMMY_CREDENTIALS, useMoto } from "../helpers/moto.js";
import { TEST_PROJECT_ID, TEST_SECRET_KEY } from "../helpers/pulumiMocks.js";

const REGION = "us-east-1";
const STACK = `${REGION}-${TEST_PROJECT_ID}`;
const CENSUS_FIELDS = ["Access Key ID", "Secret Key", "Pinpoint Project ID", "S3 Staging Bucket Name", "Importer Role ARN", "AWS Region"];
const moto = useMoto({ resetBeforeEach: false });
let pinpoint: AwsClientStub<PinpointClient>;
let home: string;

beforeAll(() => {
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey });
  pinpoint = mockClient(PinpointClient);
  pinpoint.on(GetAppCommand, { ApplicationId: TEST_PROJECT_ID }).resolves({ ApplicationResponse: { Id: TEST_PROJECT_ID, Name: "Marketing", Arn: `arn:aws:mobiletargeting:us-east-1:123456789012:apps/${TEST_PROJECT_ID}` } });
});

afterAll(() => pinpoint?.restore());

beforeEach(async () => {
  await moto.reset();
  home = mkdtempSync(join(tmpdir(), "census-pinpoint-recovery-"));
});

afterEach(() => rmSync(home, { recursive: true, force: true }));

function run(argv: string[], options: Omit<CliRunOptions, "home"> = {}) {
  return runCli(argv, { home, ...options });
}

// The fake creates nothing in moto, so Census's connection test after provisioning could only fail.
const setup = () => ["setup", "--region", REGION, "--project-id", TEST_PROJECT_ID, "--no-input", "--yes", "--skip-verify"];


function expectCensusValues(stdout: string): void {
  expect(stdout.trim().split("\n").map((line) => line.split(/\s{2,}/)[0])).toEqual(CENSUS_FIELDS);
  expect(stdout).toContain(TEST_SECRET_KEY);
}

describe("recovery", () => {
  it("a provisioning run that failed half-way converges on the next run", async () => {
    const fake = new FakePulumi();
    const throttled =
      "error: 1 error occurred:\n\t* creating IAM Role (CensusPinpointSegmentImporter-01234567): operation error IAM: CreateRole, exceeded maximum number of attempts, 25, https response error StatusCode: 400, RequestID: 9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d, api error Throttling: Rate exceeded\n";
    fake.failNext("up", {
      stderr: "error: update failed",
      // The bucket was created before the role failed: the state records it, the next run keeps it.
      events: [...resourceEvents(STACK, "create", "aws:s3/bucket:Bucket", "staging-bucket"), ...failedResourceEvents(STACK, "create", "aws:iam/role:Role", "importer-role", throttled)],
    });
    const failed = run(setup(), { fake });

    expect(await failed.code).toBe(EXIT.pulumi);
    expect(lastErrorLine(failed.stderr())).toBe(
      "Could not create importer-role (aws:iam/role:Role): creating IAM Role (CensusPinpointSegmentImporter-01234567): operation error IAM: CreateRole, exceeded maximum number of attempts, 25, https response error StatusCode: 400, RequestID: 9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d, api error Throttling: Rate exceeded",
    );
    expect(failed.stderr()).toContain(`Re-running \`census-pinpoint setup --region ${REGION} --project-id ${TEST_PROJECT_ID} --yes\` resumes where it stopped.`);
    expect(failed.stdout()).toBe("");

    const again = run(setup(), { fake });
    expect(await again.code).toBe(EXIT.ok);
    expectCensusValues(again.stdout());
    expect(fake.callsTo("stack init")).toHaveLength(1);
    expect(fake.callsTo("up")).toHaveLength(2);
  });

  it("Ctrl-C during provisioning names the one command that resumes, and that command finishes the job", async () => {
    const fake = new FakePulumi();
    fake.failNext("up", { runUntilAborted: true, stderr: "error: update canceled" });
    const signals = new EventEmitter();
    const interrupted = run(setup(), { fake, signals });
    await fake.untilCalled("up");
    signals.emit("SIGINT");

    expect(await interrupted.code).toBe(EXIT.interrupted);
    expect(interrupted.stderr()).toContain("Stopping safely");
    expect(lastErrorLine(interrupted.stderr())).toBe(
      "The update of stack us-east-1-0123456789abcdef0123456789abcdef was interrupted; resources it was changing may be half-done.",
    );
    const resume = /Run `(census-pinpoint setup [^`]+)` to resume where it stopped\./.exec(interrupted.stderr())?.[1];
    expect(resume).toBe(`census-pinpoint setup --region ${REGION} --project-id ${TEST_PROJECT_ID} --yes`);

    const resumed = run([...resume!.split(" ").slice(1), "--skip-verify"], { fake });
    expect(await resumed.code).toBe(EXIT.ok);
    expectCensusValues(resumed.stdout());
  });

  it("a stale lock is reported with the safe way out, and the lock file is left in place", async () => {
    // A run killed with SIGKILL leaves its lock in the default file backend.
    const lockFile = join(home, "state", ".pulumi", "locks", "organization", "census-pinpoint", STACK, "0d9c8b7a-6e5f-4d3c-9b2a-1f0e9d8c7b6a.json");
    mkdirSync(dirname(lockFile), { recursive: true });
    const lock = JSON.stringify({ pid: 31337, username: "ann", hostname: "laptop", timestamp: "2026-11-02T08:00:00Z" });
    writeFileSync(lockFile, lock);
    const fake = new FakePulumi();
    fake.failNext("up", {
      stderr:
        "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n" +
        `  file://${lockFile}: created by ann@laptop (pid 31337) at 2026-11-02T08:00:00Z`,
    });
    const result = run(setup(), { fake });

    expect(await result.code).toBe(EXIT.pulumi);
    expect(lastErrorLine(result.stderr())).toBe("Stack us-east-1-0123456789abcdef0123456789abcdef is locked: another update is running, or one that was killed left its lock behind.");
    expect(result.stderr()).toContain("First make sure no census-pinpoint or pulumi process is still working on it");
    expect(result.stderr()).toContain(`clear it with \`pulumi -C ${join(home, "workspaces", STACK)} cancel --stack ${STACK} --yes\``);
    expect(result.stderr()).toContain(`  ${lockFile}: created by ann@laptop (pid 31337)`);
    expect(result.stderr()).toContain("census-pinpoint never removes a lock itself.");
    expect(existsSync(lockFile)).toBe(true);
    expect(readFileSync(lockFile, "utf8")).toBe(lock);
  });
});
