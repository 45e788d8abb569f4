// Messages that used to blame the wrong thing, each as a user meets it: `main()` with the real AWS SDK
// against moto_server (profile files written into a temp dir, never the real ~/.aws) and a fake
// Pulumi CLI; the home folders on /proc run the built CLI (npm run build) in a child process, which a
// timeout kills should it hang. Each test asserts the exit code and the first line of the message.
import { jest } from "@jest/globals";
import { CreateAppCommand, PinpointClient } from "@aws-sdk/client-pinpoint";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXIT } from "../../wizard/errors.js";
import { runPiped } from "../e2e/harness.js";
import { lastErrorLine, runCli, type CliRunOptions } from "../helpers/cliIo.js";
import { FakePulumi } from "../helpers/fakePulumi.js";
import { DUMMY_CREDENTIALS, useMoto } from "../helpers/moto.js";
import { createMotoAdmin, createMotoStaging } from "../helpers/motoStaging.js";
import { TEST_PROJECT_ID } from "../helpers/pulumiMocks.js";
import { seedStack } from "../wizard/commands/dayTwo.js";

const REGION = "us-east-1";
const STACK = `${REGION}-${TEST_PROJECT_ID}`;
const OTHER_PROJECT_ID = "fedcba9876543210fedcba9876543210";
const moto = useMoto();
let home: string;
let files = 0;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "census-pinpoint-blame-"));
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
  for (const name of ["AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]) delete process.env[name];
  Object.assign(process.env, { AWS_CONFIG_FILE: moto.aws.configFile, AWS_SHARED_CREDENTIALS_FILE: moto.aws.credentialsFile });
});

/** A message template as docs/errors.md gives it, with this run's paths in place of its <placeholders>. */
function fill(template: string, values: Record<string, string>): string {
  return template.replace(/<(\w+)>/g, (whole, key: string) => values[key] ?? whole);
}

function run(argv: string[], options: Omit<CliRunOptions, "home"> = {}) {
  return runCli(argv, { home, ...options });
}

/**
 * Profile files at new paths (the SDK caches each file it has read, or found missing, by path), in
 * process.env where the SDK looks; undefined leaves that file missing.
 */
function awsFiles(configText: string | undefined, credentialsText: string | undefined): { config: string; credentials: string } {
  const id = ++files;
  const config = join(moto.aws.dir, `config-${id}`);
  const credentials = join(moto.aws.dir, `credentials-${id}`);
  if (configText !== undefined) writeFileSync(config, configText);
  if (credentialsText !== undefined) writeFileSync(credentials, credentialsText);
  Object.assign(process.env, { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials });
  return { config, credentials };
}

const KEY_LINES = `aws_access_key_id = ${DUMMY_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${DUMMY_CREDENTIALS.secretAccessKey}\n`;

/** setup without questions or the connection test, for the test project. */
const setup = (...extra: string[]) => ["setup", "--project-id", TEST_PROJECT_ID, "--no-input", "--yes", "--skip-verify", ...extra];

// First in the file: the SDK prints this warning once per process (per test file under jest), so an
// earlier test that drew it would hide a regression here.
describe("--key-profile's credentials", () => {
  it("verify --key-profile with AWS_ACCESS_KEY_ID set prints no SDK warning about multiple credential sources", async () => {
    const staging = await createMotoStaging("eu-west-1");
    const admin = await createMotoAdmin("eu-west-1");
    awsFiles(undefined, `[census]\naws_access_key_id = ${staging.key.accessKeyId}\naws_secret_access_key = ${staging.key.secretAccessKey}\n`);
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: admin.accessKeyId, AWS_SECRET_ACCESS_KEY: admin.secretAccessKey });
    const warn = jest.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const argv = ["verify", "--region", "eu-west-1", "--project-id", staging.projectId, "--bucket", staging.bucketName, "--role-arn", staging.importerRoleArn, "--key-profile", "census"];
      const result = run(argv);

      expect(await result.code).toBe(EXIT.ok);
      expect(result.stdout().split("\n")[0]).toBe(`Census connection test for Pinpoint project ${staging.projectId} in eu-west-1`);
      // The key is the profile's, not the environment's administrator key.
      expect(result.stdout()).toContain(`(STS GetCallerIdentity): ${staging.censusUserArn}`);
      expect(warn.mock.calls.flat().join("\n")).not.toContain("Multiple credential sources");
      expect(result.stderr()).not.toContain("Multiple credential sources");
    } finally {
      warn.mockRestore();
    }
  });
});

describe("a flag without its value", () => {
  it("setup --project-id --region us-east-1: --project-id took --region as its value", async () => {
    const fake = new FakePulumi();
    const result = run(["setup", "--project-id", "--region", "us-east-1"], { fake });

    expect(await result.code).toBe(EXIT.usage);
    expect(lastErrorLine(result.stderr())).toBe("--project-id: no value given (it took the next flag, --region, as its value).");
    expect(result.stderr()).toContain("Write the value right after the flag: --project-id <id>.");
    expect(fake.calls).toEqual([]);
  });

  it.each([
    [["teardown", "--stack", "-y"], "--stack: no value given (it took the next flag, -y, as its value)."],
    [["credentials", "--profile", "--json"], "--profile: no value given (it took the next flag, --json, as its value)."],
    [["setup", "--region", "--project-id=0123456789abcdef0123456789abcdef"], "--region: no value given (it took the next flag, --project-id=0123456789abcdef0123456789abcdef, as its value)."],
  ])("%j is refused naming the flag without its value", async (argv, message) => {
    const fake = new FakePulumi();
    const result = run(argv, { fake });

    expect(await result.code).toBe(EXIT.usage);
    expect(lastErrorLine(result.stderr())).toBe(message);
    expect(fake.calls).toEqual([]);
  });

  it("a value after -- is an argument, not a flag's value", async () => {
    const result = run(["setup", "--", "--project-id", "--region"]);

    expect(await result.code).toBe(EXIT.usage);
    expect(lastErrorLine(result.stderr())).toMatch(/^too many arguments for 'setup'/);
  });
});

describe("an AWS profile that does not exist", () => {
  it("--profile naming a profile in neither file: exit 3 naming both files", async () => {
    const paths = awsFiles("[profile other]\nregion = us-east-1\n", "[other]\n" + KEY_LINES);
    const fake = new FakePulumi();
    const result = run(setup("--region", REGION, "--profile", "nope"), { fake });

    expect(await result.code).toBe(EXIT.aws);
    expect(lastErrorLine(result.stderr())).toBe(fill('AWS profile "nope" does not exist in <config> or <credentials>.', paths));
    expect(result.stderr()).toContain("aws configure list-profiles");
    expect(fake.callsTo("up")).toEqual([]);
  });

  it("AWS_PROFILE naming a profile in neither file, with the files AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE name", async () => {
    const paths = awsFiles(undefined, undefined);
    process.env.AWS_PROFILE = "nope";
    const result = run(setup("--region", REGION));

    expect(await result.code).toBe(EXIT.aws);
    expect(lastErrorLine(result.stderr())).toBe(fill('AWS profile "nope" does not exist in <config> or <credentials>.', paths));
  });

  it("a profile written [name] in the config file: the hint says the config file needs [profile name]", async () => {
    const paths = awsFiles("[nope]\nregion = us-east-1\n", undefined);
    const result = run(setup("--region", REGION, "--profile", "nope"));

    expect(await result.code).toBe(EXIT.aws);
    expect(lastErrorLine(result.stderr())).toBe(fill('AWS profile "nope" does not exist in <config> or <credentials>.', paths));
    expect(result.stderr()).toContain(fill("<config> has a section [nope], which the AWS CLI and SDKs ignore: in the config file a profile's section is [profile nope].", paths));
  });

  it("verify --key-profile naming a profile in neither file: the key check says so and where it looked", async () => {
    const paths = awsFiles(undefined, "[default]\n" + KEY_LINES);
    const argv = ["verify", "--region", REGION, "--project-id", TEST_PROJECT_ID, "--bucket", "census-staging", "--role-arn", "arn:aws:iam::123456789012:role/Importer", "--key-profile", "nope"];
    const result = run(argv);

    expect(await result.code).toBe(EXIT.verification);
    expect(lastErrorLine(result.stderr())).toBe("2 of 14 checks failed.");
    expect(result.stdout()).toContain(
      fill('✘ AWS accepts the access key and it belongs to the Census IAM user (STS GetCallerIdentity): No usable access key in AWS profile "nope": it does not exist in <config> or <credentials>\n', paths),
    );
  });
});

describe("an AWS profile whose credentials fail", () => {
  /** An executable that fails the way a credential helper does, saying why on stderr. */
  function failingHelper(): string {
    const script = join(moto.aws.dir, `credential-helper-${++files}.sh`);
    writeFileSync(script, "#!/bin/sh\necho 'session expired: run my-helper login' >&2\nexit 1\n");
    chmodSync(script, 0o755);
    return script;
  }

  it("a credential_process that fails: its command and what it wrote on stderr", async () => {
    const helper = failingHelper();
    awsFiles(`[profile broken]\ncredential_process = ${helper}\n`, undefined);
    const result = run(setup("--region", REGION, "--profile", "broken"));

    expect(await result.code).toBe(EXIT.aws);
    expect(lastErrorLine(result.stderr())).toBe(fill('Could not load AWS credentials for profile "broken": Command failed: <helper>: session expired: run my-helper login.', { helper }));
  });

  it("the default profile's credential_process failing, with no profile named: the same, not \"No AWS credentials found\"", async () => {
    const helper = failingHelper();
    awsFiles(`[default]\ncredential_process = ${helper}\n`, undefined);
    const result = run(setup("--region", REGION));

    expect(await result.code).toBe(EXIT.aws);
    expect(lastErrorLine(result.stderr())).toBe(fill('Could not load AWS credentials for profile "default": Command failed: <helper>: session expired: run my-helper login.', { helper }));
  });

  it("a source_profile that does not exist: names it and both files", async () => {
    const paths = awsFiles("[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = base\n", undefined);
    const result = run(setup("--region", REGION, "--profile", "admin"));

    expect(await result.code).toBe(EXIT.aws);
    expect(lastErrorLine(result.stderr())).toBe(fill('AWS profile "admin" takes its credentials from source_profile "base", which does not exist in <config> or <credentials>.', paths));
  });

  it("verify --key-profile whose credential_process fails: the key check carries the helper's error", async () => {
    const helper = failingHelper();
    awsFiles(`[profile census]\ncredential_process = ${helper}\n`, undefined);
    const argv = ["verify", "--region", REGION, "--project-id", TEST_PROJECT_ID, "--bucket", "census-staging", "--role-arn", "arn:aws:iam::123456789012:role/Importer", "--key-profile", "census"];
    const result = run(argv);

    expect(await result.code).toBe(EXIT.verification);
    expect(result.stdout()).toContain(
      fill('✘ AWS accepts the access key and it belongs to the Census IAM user (STS GetCallerIdentity): No usable access key in AWS profile "census": Command failed: <helper>: session expired: run my-helper login\n', { helper }),
    );
  });
});

describe("the AWS profile's region without a terminal", () => {
  async function pinpointProject(region: string): Promise<string> {
    const pinpoint = new PinpointClient({ region, credentials: DUMMY_CREDENTIALS });
    const { ApplicationResponse } = await pinpoint.send(new CreateAppCommand({ CreateApplicationRequest: { Name: "Marketing" } }));
    pinpoint.destroy();
    return ApplicationResponse!.Id!;
  }

  async function setupWithProfile(projectId: string) {
    const result = run(["setup", "--project-id", projectId, "--profile", "p", "--no-input", "--yes", "--skip-verify", "--json"], { fake: new FakePulumi() });
    return { code: await result.code, stdout: result.stdout(), stderr: result.stderr() };
  }

  it.each([
    ["[profile p] in the config file", "[profile p]\nregion = eu-west-1\n", "[p]\n" + KEY_LINES],
    ["[p] in the credentials file", undefined, `[p]\nregion = eu-west-1\n${KEY_LINES}`],
  ])("setup --no-input --profile p uses the region of %s", async (_, config, credentials) => {
    const projectId = await pinpointProject("eu-west-1");
    awsFiles(config, credentials);
    const result = await setupWithProfile(projectId);

    expect(result.code).toBe(EXIT.ok);
    expect(JSON.parse(result.stdout)).toMatchObject({ awsRegion: "eu-west-1", pinpointProjectId: projectId });
    expect(result.stderr).toContain("Using region eu-west-1 (from the AWS profile).");
  });

  it("a profile region without Amazon Pinpoint is reported as the profile's, not as no region given", async () => {
    awsFiles("[profile p]\nregion = eu-north-1\n", "[p]\n" + KEY_LINES);
    const result = await setupWithProfile(TEST_PROJECT_ID);

    expect(result.code).toBe(EXIT.usage);
    expect(lastErrorLine(result.stderr)).toBe(
      "The AWS profile's region: Amazon Pinpoint is not available in eu-north-1. Use the region of your Pinpoint project, one of: us-east-1, us-east-2, us-west-2, ca-central-1, eu-central-1, eu-west-1, eu-west-2, ap-south-1, ap-northeast-1, ap-northeast-2, ap-southeast-1, ap-southeast-2, us-gov-west-1.",
    );
  });

  it.each([
    ["written [p] in the config file, which the AWS CLI and SDKs ignore there", "[p]\nregion = eu-west-1\n"],
    ["only on its source_profile, which AWS tools do not inherit", "[profile p]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = base\n[profile base]\nregion = eu-west-1\n"],
  ])("a region %s is not the profile's: no region given", async (_, config) => {
    awsFiles(config, "[p]\n" + KEY_LINES + "[base]\n" + KEY_LINES);
    const result = await setupWithProfile(TEST_PROJECT_ID);

    expect(result.code).toBe(EXIT.usage);
    expect(lastErrorLine(result.stderr)).toBe("No AWS region given: pass --region <region>, the region of your Pinpoint project.");
  });
});

describe("CENSUS_PINPOINT_HOME", () => {
  it("a quoted ~/ is the home directory, not a folder named ~ in the current one", async () => {
    const userHome = join(home, "user");
    const cwd = join(home, "cwd");
    mkdirSync(userHome);
    mkdirSync(cwd);
    // Run from a folder of the test's own, so a regression makes its "~" there.
    const savedCwd = process.cwd();
    process.chdir(cwd);
    try {
      const result = runCli(["teardown", "--region", REGION, "--project-id", TEST_PROJECT_ID, "--yes"], { home: "~/cp", env: { HOME: userHome }, fake: new FakePulumi() });

      expect(await result.code).toBe(EXIT.ok);
      expect(result.stderr().split("\n")[0]).toBe(`Nothing to tear down. There is no stack ${STACK} in the backend file://${join(userHome, "cp", "state")}.`);
      expect(readdirSync(cwd)).toEqual([]);
    } finally {
      process.chdir(savedCwd);
    }
  });

  // Linux's /proc and /sys (the suite runs on Linux).
  describe("on the kernel's own file systems (the built CLI, killed if it hangs)", () => {
    /** The built CLI with nothing but PATH and a temp HOME around it; a run that hangs is killed after 15 s. */
    async function runWithHome(censusHome: string, argv: string[]) {
      const started = Date.now();
      const env = { PATH: process.env.PATH ?? "", HOME: home, CENSUS_PINPOINT_HOME: censusHome, AWS_EC2_METADATA_DISABLED: "true", NO_COLOR: "1" };
      const result = await runPiped(argv, env, { timeoutMs: 15_000, cwd: home });
      return { ...result, seconds: (Date.now() - started) / 1000 };
    }

    it("setup with CENSUS_PINPOINT_HOME under /proc fails at once with exit 2 naming the folder", async () => {
      const result = await runWithHome("/proc/census-pinpoint", ["setup", "--region", REGION, "--project-id", TEST_PROJECT_ID, "--no-input", "--yes"]);

      expect(result.code).toBe(EXIT.usage);
      expect(result.seconds).toBeLessThan(10);
      expect(lastErrorLine(result.stderr)).toBe("census-pinpoint cannot write to its folder /proc/census-pinpoint (/proc is the kernel's own file system: nothing can be kept there).");
      expect(result.stderr).toContain("Point CENSUS_PINPOINT_HOME at a folder on a disk you can write");
    });

    it.each([
      ["/proc/census-pinpoint", "/proc", ["list"]],
      ["/dev/fd/census-pinpoint", "/proc", ["credentials", "--stack", STACK]],
      ["/sys/census-pinpoint", "/sys", ["setup", "--region", REGION, "--project-id", TEST_PROJECT_ID, "--no-input", "--yes"]],
    ])("%s fails at once with exit 2 naming the folder and %s (%j)", async (censusHome, mount, argv) => {
      const result = await runWithHome(censusHome, argv);

      expect(result.code).toBe(EXIT.usage);
      expect(result.seconds).toBeLessThan(10);
      expect(lastErrorLine(result.stderr)).toBe(`census-pinpoint cannot write to its folder ${censusHome} (${mount} is the kernel's own file system: nothing can be kept there).`);
      expect(existsSync(censusHome)).toBe(false);
    });
  });
});

describe("--stack with a --region or --project-id that says otherwise", () => {
  it("credentials --stack us-east-1-<id> --region eu-west-1 is refused naming both", async () => {
    const fake = new FakePulumi();
    const result = run(["credentials", "--stack", STACK, "--region", "eu-west-1"], { fake });

    expect(await result.code).toBe(EXIT.usage);
    expect(lastErrorLine(result.stderr())).toBe("--stack us-east-1-0123456789abcdef0123456789abcdef does not match --region eu-west-1 (the stack's region is us-east-1).");
    expect(result.stderr()).toContain("Pass --stack alone, or --region and --project-id without --stack.");
    expect(fake.calls).toEqual([]);
  });

  it.each([
    [["--project-id", OTHER_PROJECT_ID], `--stack ${STACK} does not match --project-id ${OTHER_PROJECT_ID} (the stack's project is ${TEST_PROJECT_ID}).`],
    [
      ["--region", "eu-west-1", "--project-id", OTHER_PROJECT_ID],
      `--stack ${STACK} does not match --region eu-west-1 (the stack's region is us-east-1) and --project-id ${OTHER_PROJECT_ID} (the stack's project is ${TEST_PROJECT_ID}).`,
    ],
  ])("credentials --stack with %j is refused naming each flag that disagrees", async (extra, message) => {
    const fake = new FakePulumi();
    const result = run(["credentials", "--stack", STACK, ...extra, "--no-input"], { fake });

    expect(await result.code).toBe(EXIT.usage);
    expect(lastErrorLine(result.stderr())).toBe(message);
    expect(fake.calls).toEqual([]);
  });

  it("a --region that agrees with --stack is no conflict", async () => {
    const fake = new FakePulumi();
    await seedStack(fake, { CENSUS_PINPOINT_HOME: home });
    const result = run(["credentials", "--stack", STACK, "--region", REGION, "--project-id", TEST_PROJECT_ID, "--json"], { fake });

    expect(await result.code).toBe(EXIT.ok);
    expect(JSON.parse(result.stdout()).stackName).toBe(STACK);
  });
});

describe("credentials --json without --show-secret", () => {
  it("gives secretAccessKey null, while the pretty output keeps its masked display", async () => {
    const fake = new FakePulumi();
    await seedStack(fake, { CENSUS_PINPOINT_HOME: home });
    const json = run(["credentials", "--json", "--no-input"], { fake });
    expect(await json.code).toBe(EXIT.ok);
    const document = JSON.parse(json.stdout());
    expect(document.secretAccessKey).toBeNull();
    expect(Object.keys(document).slice(0, 6)).toEqual(["accessKeyId", "secretAccessKey", "pinpointProjectId", "stagingBucketName", "importerRoleArn", "awsRegion"]);

    const pretty = run(["credentials", "--no-input"], { fake });
    expect(await pretty.code).toBe(EXIT.ok);
    expect(pretty.stdout().split("\n")[1]).toMatch(/^Secret Key +\*{16}$/);
  });
});
