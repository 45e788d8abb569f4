// `census-pinpoint setup` as a user runs it: the real AWS SDK calls against moto_server, the Automation
// API against a fake Pulumi CLI, and a scripted Prompter standing in for the terminal.
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateRoleCommand, CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateAppCommand, PinpointClient } from "@aws-sdk/client-pinpoint";
import { EventEmitter } from "node:events";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXIT, InterruptedError } from "../../../wizard/errors.js";
import { runCli, type CliRunOptions } from "../../helpers/cliIo.js";
import { FakePulumi } from "../../helpers/fakePulumi.js";
import { DUMMY_CREDENTIALS, isolateAwsEnvironment, MOTO_ACCOUNT_ID, startMoto, type IsolatedAwsEnvironment, type MotoServer } from "../../helpers/moto.js";
import { TEST_SECRET_KEY } from "../../helpers/pulumiMocks.js";
import type { Script } from "../../helpers/scriptedPrompter.js";

const REGION = "eu-west-1";
let moto: MotoServer;
let aws: IsolatedAwsEnvironment;
let projectId: string;
let home: string;

beforeAll(async () => {
  moto = await startMoto({ MOTO_S3_ALLOW_CROSSACCOUNT_ACCESS: "false" });
  aws = isolateAwsEnvironment(moto.endpoint);
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey });
});

afterAll(async () => {
  aws?.restore();
  await moto?.stop();
});

beforeEach(async () => {
  await moto.reset();
  home = mkdtempSync(join(tmpdir(), "census-pinpoint-setup-"));
  const pinpoint = new PinpointClient({ region: REGION });
  const created = await pinpoint.send(new CreateAppCommand({ CreateApplicationRequest: { Name: "Marketing" } }));
  pinpoint.destroy();
  projectId = created.ApplicationResponse!.Id!;
});

function run(argv: string[], options: Omit<CliRunOptions, "home"> = {}) {
  return runCli(argv, { home, ...options });
}

// The fake Pulumi CLI creates nothing in moto, so its values cannot pass the connection test: the
// tests skip it, except the one about a failing test.
const flags = () => ["setup", "--region", REGION, "--project-id", projectId, "--skip-verify"];

describe("setup without a terminal", () => {
  test("--no-input --yes --json prints one JSON document with Census's values and creates the stack", async () => {
    const fake = new FakePulumi();
    const result = run([...flags(), "--no-input", "--yes", "--json"], { fake });

    expect(await result.code).toBe(EXIT.ok);
    const document = JSON.parse(result.stdout());
    expect(document).toMatchObject({ secretAccessKey: TEST_SECRET_KEY, pinpointProjectId: projectId, awsRegion: REGION, changed: true });
    expect(Object.keys(document).slice(0, 6)).toEqual(["accessKeyId", "secretAccessKey", "pinpointProjectId", "stagingBucketName", "importerRoleArn", "awsRegion"]);
    expect(result.stderr()).toContain(`Using AWS account ${MOTO_ACCOUNT_ID}`);
    expect(result.stderr()).not.toContain(TEST_SECRET_KEY);
    expect(fake.callsTo("up")).toHaveLength(1);
    expect(result.questions()).toEqual([]);
  });

  test("without --yes nothing can be confirmed: exit 2 before any AWS or Pulumi call", async () => {
    const fake = new FakePulumi();
    const result = run([...flags(), "--no-input"], { fake });

    expect(await result.code).toBe(EXIT.usage);
    expect(result.stderr()).toContain("pass --yes");
    expect(fake.calls).toEqual([]);
  });

  test("a missing project ID names the flag to pass", async () => {
    const result = run(["setup", "--region", REGION, "--no-input", "--yes"], { fake: new FakePulumi() });

    expect(await result.code).toBe(EXIT.usage);
    expect(result.stderr()).toContain("pass --project-id <id>");
  });

  test("a second run with the same inputs updates in place and says there were no changes", async () => {
    const fake = new FakePulumi();
    expect(await run([...flags(), "--no-input", "--yes"], { fake }).code).toBe(EXIT.ok);
    const second = run([...flags(), "--no-input", "--yes"], { fake });

    expect(await second.code).toBe(EXIT.ok);
    expect(second.stderr()).toContain("No changes");
    expect(fake.callsTo("stack init")).toHaveLength(1);
  });
});

describe("setup in a terminal", () => {
  const answers = (confirm: boolean): Script => ({
    chooseRegion: [REGION],
    chooseProject: [projectId],
    wantsToCustomize: [false],
    confirmSetup: [confirm],
  });

  test("asks region, project, customization and confirmation, then prints the six values in Census's order", async () => {
    const fake = new FakePulumi();
    const result = run(["setup", "--skip-verify"], { fake, script: answers(true), terminal: true });

    expect(await result.code).toBe(EXIT.ok);
    expect(result.questions()).toEqual(["chooseRegion", "chooseProject", "wantsToCustomize", "confirmSetup"]);
    const summary = result.asked.find(({ question }) => question === "confirmSetup")!.args[0] as string;
    expect(summary).toContain(`AWS account:      ${MOTO_ACCOUNT_ID}`);
    expect(summary).toContain(`census-pinpoint-staging-${projectId.slice(0, 8)}-${MOTO_ACCOUNT_ID}-${REGION}`);
    const labels = result.stdout().trim().split("\n").map((line) => line.split(/\s{2,}/)[0]);
    expect(labels).toEqual(["Access Key ID", "Secret Key", "Pinpoint Project ID", "S3 Staging Bucket Name", "Importer Role ARN", "AWS Region"]);
    expect(result.stdout()).toContain(TEST_SECRET_KEY);
    expect(result.stderr()).toContain("Paste these into Census");
  });

  test("the summary names the chosen project, the expiry, and only the names that are not the default", async () => {
    const fake = new FakePulumi();
    const result = run(["setup", "--skip-verify", "--importer-role-name", "MyImporter", "--expiration-days", "14"], {
      fake,
      script: { chooseRegion: [REGION], chooseProject: [projectId], wantsToCustomize: [true], enterBucketName: [`my-bucket-${projectId.slice(0, 8)}`], enterCensusUserName: [`census-pinpoint-${projectId.slice(0, 8)}`], confirmSetup: [false] },
      terminal: true,
    });

    expect(await result.code).toBe(EXIT.ok);
    const summary = result.asked.find(({ question }) => question === "confirmSetup")!.args[0] as string;
    expect(summary).toMatch(new RegExp(`^Pinpoint project: \\S.* \\(${projectId}\\)$`, "m"));
    expect(summary).toContain(`Staging bucket:   my-bucket-${projectId.slice(0, 8)}`);
    expect(summary).toContain("Files expire:     14 days after staging");
    expect(summary).toContain("Importer role:    MyImporter");
    expect(summary).not.toContain("Census user:");
  });

  test("declining the confirmation creates nothing", async () => {
    const fake = new FakePulumi();
    const result = run(["setup"], { fake, script: answers(false), terminal: true });

    expect(await result.code).toBe(EXIT.ok);
    expect(result.stderr()).toContain("Nothing was created.");
    expect(fake.callsTo("up")).toEqual([]);
    expect(fake.callsTo("config set-all")).toEqual([]);
  });

  test("Ctrl-C in a prompt exits 130 with nothing created", async () => {
    const fake = new FakePulumi();
    const result = run(["setup"], { fake, script: { chooseRegion: [new InterruptedError("Cancelled.")] }, terminal: true });

    expect(await result.code).toBe(EXIT.interrupted);
    expect(result.stderr()).toContain("Cancelled.");
    expect(fake.calls).toEqual([]);
  });

  test("no Pulumi CLI: offers to install it, and declining stops with the install hint and exit 4", async () => {
    // The SDK looks for `pulumi` on this process's PATH, where the test suite put the real one.
    const path = process.env.PATH;
    process.env.PATH = join(home, "no-such-dir");
    const result = run([...flags()], { script: { wantsToCustomize: [false], confirmInstallPulumi: [false] }, terminal: true });
    const code = await result.code.finally(() => (process.env.PATH = path));

    expect(code).toBe(EXIT.pulumi);
    expect(result.questions()).toEqual(["wantsToCustomize", "confirmInstallPulumi"]);
    expect(result.stderr()).toMatch(/Pulumi CLI was not found[\s\S]*3\.181\.0/);
  });
});

describe("the connection test after provisioning", () => {
  test("a failing check still prints the values (the secret is shown once) but exits 5 naming verify", async () => {
    const fake = new FakePulumi();
    const result = run(["setup", "--region", REGION, "--project-id", projectId, "--no-input", "--yes"], { fake });

    expect(await result.code).toBe(EXIT.verification);
    expect(result.stdout()).toContain(TEST_SECRET_KEY);
    expect(result.stdout()).toContain("Census connection test");
    expect(result.stdout()).toContain("✘");
    expect(result.stderr()).toContain(`census-pinpoint verify --stack ${REGION}-${projectId}`);
  });
});

describe("preflight refuses before anything is written", () => {
  test("a project that does not exist in the region: exit 2", async () => {
    const fake = new FakePulumi();
    const result = run(["setup", "--region", REGION, "--project-id", "0123456789abcdef0123456789abcdef", "--no-input", "--yes"], { fake });

    expect(await result.code).toBe(EXIT.usage);
    expect(result.stderr()).toContain(`There is no Amazon Pinpoint project 0123456789abcdef0123456789abcdef in ${REGION}`);
    expect(fake.callsTo("up")).toEqual([]);
  });

  test("a bucket of the same account that the stack does not hold is not adopted: exit 2 naming the flag", async () => {
    const s3 = new S3Client({ region: REGION, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: "existing-staging", CreateBucketConfiguration: { LocationConstraint: REGION } }));
    s3.destroy();
    const fake = new FakePulumi();
    const result = run([...flags(), "--bucket-name", "existing-staging", "--no-input", "--yes"], { fake });

    expect(await result.code).toBe(EXIT.usage);
    expect(result.stderr()).toContain('✖ The S3 bucket name "existing-staging" is taken: it was made outside this stack.');
    expect(result.stderr()).toContain("Pick other names with --bucket-name <name>. Nothing was created");
    expect(fake.callsTo("up")).toEqual([]);
  });

  test("a role another census-pinpoint stack made, and a user made by hand, stop setup before anything is written, naming who holds them and the flags", async () => {
    const iam = new IAMClient({ region: REGION });
    const other = "fedcba9876543210fedcba9876543210";
    const trust = JSON.stringify({ Version: "2012-10-17", Statement: [] });
    await iam.send(
      new CreateRoleCommand({
        RoleName: `CensusPinpointSegmentImporter-${projectId.slice(0, 8)}`,
        AssumeRolePolicyDocument: trust,
        Tags: [
          { Key: "managed-by", Value: "census-pinpoint" },
          { Key: "pinpoint-project", Value: other },
        ],
      }),
    );
    await iam.send(new CreateUserCommand({ UserName: "ann" }));
    iam.destroy();
    const fake = new FakePulumi();
    const result = run([...flags(), "--census-user-name", "ann", "--no-input", "--yes"], { fake });

    expect(await result.code).toBe(EXIT.usage);
    expect(result.stderr()).toContain(
      '✖ The IAM role name "CensusPinpointSegmentImporter-<project8>" is taken: the census-pinpoint stack of Pinpoint project fedcba9876543210fedcba9876543210 made it.\nThe IAM user name "ann" is taken: it was made outside this stack.'.replace(
        "<project8>",
        projectId.slice(0, 8),
      ),
    );
    expect(result.stderr()).toContain("Pick other names with --importer-role-name <name> and --census-user-name <name>.");
    expect(fake.callsTo("up")).toEqual([]);
    expect(fake.callsTo("stack init")).toEqual([]);
  });

  test("an existing --output-file is refused before any work unless --force; the file is written 0600", async () => {
    const file = join(home, "census.json");
    writeFileSync(file, "keep me", { mode: 0o644 });
    const fake = new FakePulumi();
    const refused = run([...flags(), "--no-input", "--yes", "--output-file", file], { fake });
    expect(await refused.code).toBe(EXIT.usage);
    expect(refused.stderr()).toContain("already exists");
    expect(readFileSync(file, "utf8")).toBe("keep me");
    expect(fake.calls).toEqual([]);

    const forced = run([...flags(), "--no-input", "--yes", "--output-file", file, "--force"], { fake });
    expect(await forced.code).toBe(EXIT.ok);
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ secretAccessKey: TEST_SECRET_KEY });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  test("an unwritable CENSUS_PINPOINT_HOME is one clear message, exit 2", async () => {
    const blocker = join(home, "a-file");
    writeFileSync(blocker, "");
    const result = run([...flags(), "--no-input", "--yes"], { fake: new FakePulumi(), env: { CENSUS_PINPOINT_HOME: join(blocker, "home") } });

    expect(await result.code).toBe(EXIT.usage);
    expect(result.stderr()).toContain("cannot write to its folder");
    expect(existsSync(join(blocker, "home"))).toBe(false);
  });
});

describe("Ctrl-C during provisioning", () => {
  test("without a terminal the interrupt is forwarded once; the run ends with 130 and the command that resumes", async () => {
    const fake = new FakePulumi();
    fake.failNext("up", { runUntilAborted: true, stderr: "error: update canceled" });
    const signals = new EventEmitter();
    const result = run([...flags(), "--no-input", "--yes"], { fake, signals });
    const sigint = setInterval(() => {
      if (fake.callsTo("up").length > 0) {
        clearInterval(sigint);
        signals.emit("SIGINT");
      }
    }, 20);

    expect(await result.code).toBe(EXIT.interrupted);
    clearInterval(sigint);
    expect(result.stderr()).toContain("Stopping safely");
    expect(result.stderr()).toContain(`census-pinpoint setup --region ${REGION} --project-id ${projectId} --yes`);
  });
});
