// The faults of docs/errors.md's "AWS, Pulumi and local state" table, each as a user meets it: the CLI's
// main() with the real AWS SDK against moto_server (aws-sdk-client-mock where moto cannot answer so),
// and a fake Pulumi CLI failing the way the real one reports it. Every test asserts the first line of
// the message and the exit code the table promises. A message template's <placeholders> stand for what
// differs per run (temporary paths, a port); `fill` puts in this run's values.
import { CreateAccessKeyCommand, CreateUserCommand, DeleteAccessKeyCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateAppCommand, GetAppCommand, PinpointClient } from "@aws-sdk/client-pinpoint";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient, STSServiceException } from "@aws-sdk/client-sts";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { EventEmitter } from "node:events";
import { EXIT } from "../../wizard/errors.js";
import { lastErrorLine, runCli, type CliRunOptions } from "../helpers/cliIo.js";
import { FakePulumi, failedResourceEvents } from "../helpers/fakePulumi.js";
import { DUMMY_CREDENTIALS, MOTO_ACCOUNT_ID, useMoto, writeAwsProfiles } from "../helpers/moto.js";
import { createMotoAdmin, createMotoStaging } from "../helpers/motoStaging.js";
import { useSilentEndpoint } from "../helpers/silentEndpoint.js";
import { TEST_PROJECT_ID } from "../helpers/pulumiMocks.js";

const REGION = "us-east-1";
const STACK = `${REGION}-${TEST_PROJECT_ID}`;
// By default moto lets any account read any bucket; AWS answers 403 instead.
const moto = useMoto({ env: { MOTO_S3_ALLOW_CROSSACCOUNT_ACCESS: "false" }, resetBeforeEach: false });
let home: string;

beforeEach(async () => {
  await moto.reset();
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey });
  home = mkdtempSync(join(tmpdir(), "census-pinpoint-faults-"));
});

afterEach(() => {
  chmodSync(home, 0o700);
  rmSync(home, { recursive: true, force: true });
});

/** A message template from docs/errors.md with this run's values in place of its <placeholders>. */
function fill(template: string, values: Record<string, string>): string {
  return template.replace(/<(\w+)>/g, (whole, key: string) => values[key] ?? whole);
}

function run(argv: string[], options: Omit<CliRunOptions, "home"> = {}) {
  return runCli(argv, { home, ...options });
}

/** setup without questions for the test project, without the connection test (the fake creates nothing in moto). */
const setup = (...extra: string[]) => ["setup", "--region", REGION, "--project-id", TEST_PROJECT_ID, "--no-input", "--yes", "--skip-verify", ...extra];


describe("AWS credentials and AWS answers", () => {
  it("no AWS credentials at all", async () => {
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    const fake = new FakePulumi();
    const result = run(setup(), { fake });

    expect(await result.code).toBe(EXIT.aws);
    expect(result.stderr()).toContain("No AWS credentials found.");
    expect(result.stderr()).toContain("--profile <name> or AWS_PROFILE");
    expect(result.stderr()).toContain("aws sso login --profile <name>");
    expect(fake.calls).toEqual([]);
  });

  it("expired credentials (STS answers ExpiredToken)", async () => {
    const sts = mockClient(STSClient);
    try {
      sts.on(GetCallerIdentityCommand).rejects(
        new STSServiceException({
          name: "ExpiredToken",
          $fault: "client",
          $metadata: { httpStatusCode: 403 },
          message: "The security token included in the request is expired",
        }),
      );
      const fake = new FakePulumi();
      const result = run(setup(), { fake });

      expect(await result.code).toBe(EXIT.aws);
      expect(result.stderr()).toContain("AWS rejected the default AWS credentials on STS GetCallerIdentity: The security token included in the request is expired (ExpiredToken).");
      expect(result.stderr()).toContain("The credentials are expired or invalid.");
      expect(result.stderr()).toContain("aws sso login");
      expect(fake.callsTo("up")).toEqual([]);
    } finally {
      sts.restore();
    }
  });

  it("a project ID that does not exist in the region (GetApp: NotFound)", async () => {
    const fake = new FakePulumi();
    const result = run(setup(), { fake });

    // NotFound is an answer, not a Pinpoint outage: setup stops instead of warning and going on.
    expect(await result.code).toBe(EXIT.usage);
    expect(result.stderr()).toContain("There is no Amazon Pinpoint project 0123456789abcdef0123456789abcdef in us-east-1 for account 123456789012.");
    expect(result.stderr()).toContain("pass --region with the region the project is in");
    expect(fake.callsTo("up")).toEqual([]);
  });

  it("a bucket name another AWS account owns (HeadBucket: 403)", async () => {
    const pinpoint = new PinpointClient({ region: REGION });
    const { ApplicationResponse } = await pinpoint.send(new CreateAppCommand({ CreateApplicationRequest: { Name: "Marketing" } }));
    pinpoint.destroy();
    await createBucketInAnotherAccount("census-pinpoint-staging");
    const fake = new FakePulumi();
    const result = run(["setup", "--region", REGION, "--project-id", ApplicationResponse!.Id!, "--bucket-name", "census-pinpoint-staging", "--no-input", "--yes", "--skip-verify"], { fake });

    expect(await result.code).toBe(EXIT.aws);
    expect(result.stderr()).toContain(
      'The S3 bucket name "census-pinpoint-staging" is already taken by another AWS account (bucket names are global), or your credentials may not read that bucket. Choose another name (--bucket-name): e.g. the default "census-pinpoint-staging-<project8>-123456789012-us-east-1", which contains your project, account ID and region.'.replace(
        "<project8>",
        ApplicationResponse!.Id!.slice(0, 8),
      ),
    );
    expect(fake.callsTo("up")).toEqual([]);
  });

  describe("an AWS endpoint that accepts connections and never answers", () => {
    const silent = useSilentEndpoint();

    it(
      "times out with bounded retries instead of hanging",
      async () => {
        const endpoint = silent.url;
        // One attempt of the 5 s request timeout keeps the test short; without AWS_MAX_ATTEMPTS it is three.
        Object.assign(process.env, { AWS_ENDPOINT_URL: endpoint, AWS_MAX_ATTEMPTS: "1" });
        try {
          const fake = new FakePulumi();
          const started = Date.now();
          const result = run(setup(), { fake });

          expect(await result.code).toBe(EXIT.aws);
          expect(Date.now() - started).toBeLessThan(10_000);
          expect(result.stderr()).toContain(fill("Could not reach <endpoint> (set by AWS_ENDPOINT_URL) for STS GetCallerIdentity: no answer within 5 s.", { endpoint }));
          expect(result.stderr()).toContain("Check your network connection, proxy and firewall");
          expect(fake.callsTo("up")).toEqual([]);
        } finally {
          process.env.AWS_ENDPOINT_URL = moto.endpoint;
          delete process.env.AWS_MAX_ATTEMPTS;
        }
      },
      20_000,
    );
  });

  it("verify with a Census access key that was deleted", async () => {
    const staging = await createMotoStaging(REGION);
    const admin = await createMotoAdmin(REGION);
    const iam = new IAMClient({ region: REGION, credentials: DUMMY_CREDENTIALS });
    await iam.send(new DeleteAccessKeyCommand({ UserName: staging.censusUserName, AccessKeyId: staging.key.accessKeyId }));
    iam.destroy();
    await moto.enforceIam(true);
    const credentials = join(home, "aws-credentials");
    writeAwsProfiles(credentials, { default: admin, census: staging.key });
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    process.env.AWS_SHARED_CREDENTIALS_FILE = credentials;
    try {
      const result = run(["verify", "--region", REGION, "--project-id", staging.projectId, "--bucket", staging.bucketName, "--role-arn", staging.importerRoleArn, "--key-profile", "census"]);

      expect(await result.code).toBe(EXIT.verification);
      expect(lastErrorLine(result.stderr())).toBe("2 of 14 checks failed.");
      expect(result.stderr()).toContain("2 of 14 checks failed.");
      expect(result.stdout()).toContain(`AWS rejects access key ${staging.key.accessKeyId} (InvalidClientTokenId): IAM has no such key in the account (deleted?)`);
      expect(result.stdout()).toContain(`✘ The access key ${staging.key.accessKeyId} is active in IAM: IAM has no access key ${staging.key.accessKeyId} in account ${MOTO_ACCOUNT_ID}: it was deleted`);
      expect(result.stdout()).toContain("Create a new one for the Census user in IAM if it was deleted.");
    } finally {
      process.env.AWS_SHARED_CREDENTIALS_FILE = moto.aws.credentialsFile;
    }
  });
});

/** moto attributes requests to an account by a header on the IAM call that makes the user. */
async function createBucketInAnotherAccount(bucket: string): Promise<void> {
  const iam = new IAMClient({ region: REGION, credentials: DUMMY_CREDENTIALS });
  iam.middlewareStack.add(
    (next) => async (args) => {
      (args.request as { headers: Record<string, string> }).headers["x-moto-account-id"] = "111111111111";
      return next(args);
    },
    { step: "build" },
  );
  await iam.send(new CreateUserCommand({ UserName: "elsewhere" }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "elsewhere" }));
  iam.destroy();
  const s3 = new S3Client({ region: REGION, forcePathStyle: true, credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! } });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  s3.destroy();
}

describe("Pulumi and local state", () => {
  // moto makes up project IDs; answering GetApp for the test project keeps stack names fixed.
  let pinpoint: AwsClientStub<PinpointClient>;
  beforeAll(() => {
    pinpoint = mockClient(PinpointClient);
    pinpoint.on(GetAppCommand, { ApplicationId: TEST_PROJECT_ID }).resolves({ ApplicationResponse: { Id: TEST_PROJECT_ID, Name: "Marketing", Arn: `arn:aws:mobiletargeting:us-east-1:123456789012:apps/${TEST_PROJECT_ID}` } });
  });
  afterAll(() => pinpoint.restore());

  const lockFileIn = (stateDir: string) => join(stateDir, ".pulumi", "locks", "organization", "census-pinpoint", STACK, "5b8ec1a2-0000-4000-8000-00000000c0de.json");
  const lockText = (lockFile: string) =>
    "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n" +
    `  file://${lockFile}: created by ann@laptop (pid 4242) at 2026-11-02T09:00:00Z`;

  it("AccessDenied while creating the importer role", async () => {
    const fake = new FakePulumi();
    const providerError =
      "error: 1 error occurred:\n\t* creating IAM Role (CensusPinpointSegmentImporter-01234567): operation error IAM: CreateRole, https response error StatusCode: 403, RequestID: 6b1f3c2e-1d2e-4f00-9a1b-0c1d2e3f4a5b, api error AccessDenied: User: arn:aws:iam::123456789012:user/deployer is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::123456789012:role/CensusPinpointSegmentImporter-01234567 because no identity-based policy allows the iam:CreateRole action\n";
    fake.failNext("up", { stderr: "error: update failed", events: failedResourceEvents(STACK, "create", "aws:iam/role:Role", "importer-role", providerError) });
    const result = run(setup(), { fake });

    expect(await result.code).toBe(EXIT.aws);
    expect(lastErrorLine(result.stderr())).toBe(
      "Could not create importer-role (aws:iam/role:Role): AWS denied iam:CreateRole to arn:aws:iam::123456789012:user/deployer on arn:aws:iam::123456789012:role/CensusPinpointSegmentImporter-01234567 (because no identity-based policy allows the iam:CreateRole action).",
    );
    expect(result.stderr()).toContain("Ask an AWS administrator to allow iam:CreateRole for arn:aws:iam::123456789012:user/deployer");
    expect(result.stderr()).toContain(`Re-running \`census-pinpoint setup --region ${REGION} --project-id ${TEST_PROJECT_ID} --yes\` resumes where it stopped.`);
  });

  it("AccessDenied while creating the Census user (an explicit deny)", async () => {
    const fake = new FakePulumi();
    // The provider's newer wording: a source location first, the provider version last.
    const providerError =
      "sdk-v2/provider2.go:566: sdk.helper_schema: creating IAM User (census-pinpoint-01234567): operation error IAM: CreateUser, https response error StatusCode: 403, RequestID: 0f1e2d3c-4b5a-4968-8776-655443322110, api error AccessDenied: User: arn:aws:sts::123456789012:assumed-role/Deployer/ann is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/census-pinpoint-01234567 with an explicit deny in a service control policy: provider=aws@7.48.0";
    fake.failNext("up", { stderr: "error: update failed", events: failedResourceEvents(STACK, "create", "aws:iam/user:User", "census-user", providerError) });
    const result = run(setup(), { fake });

    expect(await result.code).toBe(EXIT.aws);
    expect(lastErrorLine(result.stderr())).toBe(
      "Could not create census-user (aws:iam/user:User): AWS denied iam:CreateUser to arn:aws:sts::123456789012:assumed-role/Deployer/ann on arn:aws:iam::123456789012:user/census-pinpoint-01234567 (with an explicit deny in a service control policy).",
    );
    expect(result.stderr()).toContain("docs/permissions.md");
  });

  it("a second setup on the same stack while one runs", async () => {
    const fake = new FakePulumi();
    fake.failNext("up", { runUntilAborted: true, stderr: "error: update canceled" });
    const signals = new EventEmitter();
    const first = run(setup(), { fake, signals });
    await fake.untilCalled("up");
    // What the first run's CLI holds while it works.
    const lockFile = lockFileIn(join(home, "state"));
    mkdirSync(dirname(lockFile), { recursive: true });
    writeFileSync(lockFile, JSON.stringify({ pid: 4242, username: "ann", hostname: "laptop" }));
    fake.failNext("up", { stderr: lockText(lockFile) });

    const second = run(setup(), { fake });
    expect(await second.code).toBe(EXIT.pulumi);
    signals.emit("SIGINT");
    expect(await first.code).toBe(EXIT.interrupted);

    expect(lastErrorLine(second.stderr())).toBe(`Stack ${STACK} is locked: another update is running, or one that was killed left its lock behind.`);
    expect(second.stderr()).toContain("Stack us-east-1-0123456789abcdef0123456789abcdef is locked: another update is running, or one that was killed left its lock behind.");
    expect(second.stderr()).toContain("no census-pinpoint or pulumi process is still working on it");
    expect(second.stderr()).toContain(`pulumi -C ${join(home, "workspaces", STACK)} cancel --stack ${STACK} --yes`);
    expect(second.stderr()).toContain(lockFile);
    expect(existsSync(lockFile)).toBe(true);
  });

  it("a wrong passphrase for an existing stack", async () => {
    const fake = new FakePulumi();
    expect(await run(setup(), { fake, env: { PULUMI_CONFIG_PASSPHRASE: "correct horse battery staple" } }).code).toBe(EXIT.ok);
    fake.failNext("up", {
      stderr: "error: getting secrets manager: incorrect passphrase, please set PULUMI_CONFIG_PASSPHRASE to the correct passphrase or set PULUMI_CONFIG_PASSPHRASE_FILE to a file containing the passphrase",
    });
    const result = run(setup(), { fake, env: { PULUMI_CONFIG_PASSPHRASE: "wrong" } });

    expect(await result.code).toBe(EXIT.usage);
    expect(result.stderr()).toContain("The passphrase does not unlock the secrets of stack us-east-1-0123456789abcdef0123456789abcdef.");
    expect(result.stderr()).toContain("This run used PULUMI_CONFIG_PASSPHRASE.");
    expect(result.stderr()).not.toContain("correct horse");
  });

  it("a PULUMI_CONFIG_PASSPHRASE_FILE other users can read", async () => {
    const file = join(home, "team-passphrase");
    writeFileSync(file, "correct horse battery staple", { mode: 0o644 });
    chmodSync(file, 0o644);
    const fake = new FakePulumi();
    const result = run(setup(), { fake, env: { PULUMI_CONFIG_PASSPHRASE_FILE: file } });

    expect(await result.code).toBe(EXIT.usage);
    expect(result.stderr()).toContain(fill("PULUMI_CONFIG_PASSPHRASE_FILE <file> is open to other users (mode 0644), and it unlocks the stack's secrets.", { file }));
    expect(result.stderr()).toContain(`chmod 600 ${file}`);
    expect(fake.callsTo("up")).toEqual([]);
  });

  it("the generated passphrase file made group-readable", async () => {
    const fake = new FakePulumi();
    expect(await run(setup(), { fake }).code).toBe(EXIT.ok);
    const file = join(home, "passphrase");
    chmodSync(file, 0o640);
    const result = run(setup(), { fake });

    expect(await result.code).toBe(EXIT.usage);
    expect(result.stderr()).toContain(fill("The passphrase file <file> is open to other users (mode 0640), and it unlocks the stack's secrets.", { file }));
    expect(result.stderr()).toContain(`chmod 600 ${file}`);
    expect(fake.callsTo("up")).toHaveLength(1);
  });

  it("an unwritable CENSUS_PINPOINT_HOME", async () => {
    // Tests may run as root, for whom chmod stops no write: a home below a regular file fails for
    // everyone. The chmod 0500 case runs too where it means something (not root).
    const blocker = join(home, "a-file");
    writeFileSync(blocker, "");
    const below = join(blocker, "census-pinpoint");
    const fake = new FakePulumi();
    const result = run(setup(), { fake, env: { CENSUS_PINPOINT_HOME: below } });

    expect(await result.code).toBe(EXIT.usage);
    expect(result.stderr()).toContain(fill("census-pinpoint cannot write to its folder <home> (ENOTDIR).", { home: below }));
    expect(result.stderr()).toContain("point CENSUS_PINPOINT_HOME at a folder you can write");
    expect(fake.calls).toEqual([]);

    if (process.getuid?.() !== 0) {
      const readOnly = join(home, "read-only");
      mkdirSync(readOnly, { mode: 0o500 });
      chmodSync(readOnly, 0o500);
      const denied = run(setup(), { fake, env: { CENSUS_PINPOINT_HOME: readOnly } });
      expect(await denied.code).toBe(EXIT.usage);
      expect(denied.stderr()).toContain(fill("census-pinpoint cannot write to its folder <home> (EACCES).", { home: readOnly }));
      chmodSync(readOnly, 0o700);
    }
  });

  it("the stack's work dir is a file", async () => {
    const workDir = join(home, "workspaces", STACK);
    mkdirSync(dirname(workDir), { recursive: true });
    writeFileSync(workDir, "not a folder");
    const fake = new FakePulumi();
    const result = run(setup(), { fake });

    expect(await result.code).toBe(EXIT.pulumi);
    expect(result.stderr()).toContain(fill("The Pulumi work dir of stack us-east-1-0123456789abcdef0123456789abcdef cannot be created: <workDir> is a file.", { workDir }));
    expect(result.stderr()).toContain(`mv ${workDir} ${workDir}.bak`);
    expect(fake.callsTo("up")).toEqual([]);
  });

  it("no Pulumi CLI on PATH", async () => {
    const fake = new FakePulumi();
    fake.failNext("stack select", { spawnError: "ENOENT" });
    const result = run(setup(), { fake });

    expect(await result.code).toBe(EXIT.pulumi);
    expect(result.stderr()).toContain("The Pulumi CLI was not found. census-pinpoint provisions through it.");
    expect(result.stderr()).toContain("curl -fsSL https://get.pulumi.com | sh");
    expect(fake.callsTo("up")).toEqual([]);
  });

  it("a Pulumi CLI that is too old", async () => {
    const fake = new FakePulumi({ version: "3.100.0" });
    const result = run(setup(), { fake });

    expect(await result.code).toBe(EXIT.pulumi);
    expect(result.stderr()).toContain("The Pulumi CLI is version 3.100.0; census-pinpoint needs 3.181.0 or newer.");
    expect(result.stderr()).toContain("brew upgrade pulumi");
    expect(fake.calls).toEqual([]);
  });

  it("an unreachable backend (--backend-url s3://… whose bucket does not exist)", async () => {
    const fake = new FakePulumi();
    fake.failNext("stack select", {
      stderr:
        "error: problem logging in: unable to check if bucket s3://census-pinpoint-state-example is accessible: blob (code=NotFound): NoSuchBucket: The specified bucket does not exist",
    });
    const result = run(setup("--backend-url", "s3://census-pinpoint-state-example"), { fake });

    expect(await result.code).toBe(EXIT.pulumi);
    expect(lastErrorLine(result.stderr())).toBe(
      "Cannot use the Pulumi backend s3://census-pinpoint-state-example: problem logging in: unable to check if bucket s3://census-pinpoint-state-example is accessible: blob (code=NotFound): NoSuchBucket: The specified bucket does not exist",
    );
    expect(result.stderr()).toContain("Check the URL (--backend-url or PULUMI_BACKEND_URL)");
    expect(fake.callsTo("up")).toEqual([]);
  });
});
