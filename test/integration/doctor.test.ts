// `census-pinpoint doctor` as a user runs it: main() with the real AWS SDK against moto_server
// (credentials, identity, region, an S3 backend's bucket) and a file backend in a temp folder; the
// Pulumi CLI is the fake (stacks in memory), none at all, or a stand-in script on PATH printing an old
// version. Profile files and the SSO token cache live in temp folders, never the real ~/.aws.
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { CreateAppCommand, PinpointClient } from "@aws-sdk/client-pinpoint";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DOCTOR_HINT } from "../../wizard/setup/preflight.js";
import { EXIT } from "../../wizard/errors.js";
import type { DoctorReport } from "../../wizard/doctor/report.js";
import { lastErrorLine, runCli } from "../helpers/cliIo.js";
import { FakePulumi } from "../helpers/fakePulumi.js";
import { DUMMY_CREDENTIALS, MOTO_ACCOUNT_ID, useMoto } from "../helpers/moto.js";
import { seedStack } from "../wizard/commands/dayTwo.js";

const moto = useMoto();
let home: string;
let files = 0;
const saved = { ...process.env };

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "census-pinpoint-doctor-"));
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
  for (const name of ["AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "HOME", "PATH", "PULUMI_CONFIG_PASSPHRASE"]) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  Object.assign(process.env, { AWS_CONFIG_FILE: moto.aws.configFile, AWS_SHARED_CREDENTIALS_FILE: moto.aws.credentialsFile });
});

function withKey(): void {
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey });
}

/** A config file at a new path (the SDK caches each file it has read by path). */
function awsConfig(text: string): string {
  const file = join(moto.aws.dir, `config-${++files}`);
  writeFileSync(file, text);
  process.env.AWS_CONFIG_FILE = file;
  return file;
}

async function doctor(argv: string[], options: { fake?: FakePulumi; env?: NodeJS.ProcessEnv } = {}) {
  const result = runCli(["doctor", ...argv], { home, fake: options.fake ?? new FakePulumi(), env: options.env });
  const code = await result.code;
  return { code, stdout: flat(result.stdout()), stderr: result.stderr() };
}

/** stdout with each check's wrapped lines joined, so a line can be asserted whole. */
function flat(stdout: string): string {
  return stdout.replace(/\n {2,}/g, " ");
}

function checksOf(stdout: string): DoctorReport["checks"] {
  return (JSON.parse(stdout) as DoctorReport).checks;
}

describe("against moto", () => {
  it("credentials, identity, region and a writable file backend: exit 0, one JSON document, nothing made", async () => {
    withKey();
    const state = join(home, "state");
    mkdirSync(state);
    const result = await doctor(["--region", "eu-west-1", "--backend-url", `file://${state}`, "--json"]);

    expect(result.code).toBe(EXIT.ok);
    const report = JSON.parse(result.stdout) as DoctorReport;
    expect(report).toMatchObject({ ok: true, noCredentials: false });
    expect(report.checks.map((check) => check.id)).toEqual([
      "node",
      "pulumi-cli",
      "aws-credentials",
      "region",
      "permissions-setup",
      "permissions-rotate-key",
      "permissions-teardown",
      "backend",
      "stack-secrets",
    ]);
    const byId = Object.fromEntries(report.checks.map((check) => [check.id, check]));
    expect(byId["pulumi-cli"]).toMatchObject({ status: "ok", detail: expect.stringMatching(/^version 3\.210\.0/) });
    expect(byId["aws-credentials"]).toMatchObject({ status: "ok", detail: `arn:aws:sts::${MOTO_ACCOUNT_ID}:user/moto (account ${MOTO_ACCOUNT_ID}, the default credentials)` });
    expect(byId.region).toMatchObject({ status: "ok", detail: "eu-west-1 (from --region): Amazon Pinpoint is offered there" });
    // moto does not implement the simulator: said, not guessed.
    expect(byId["permissions-setup"]).toMatchObject({ status: "unchecked", detail: expect.stringMatching(/^could not check: the endpoint did not answer SimulatePrincipalPolicy/) });
    expect(byId.backend).toMatchObject({ status: "ok", detail: `file://${state}: writable (a test file was made and removed)` });
    expect(byId["stack-secrets"]).toMatchObject({ status: "ok", detail: `no census-pinpoint stacks in the backend yet; setup will generate a passphrase into ${join(home, "passphrase")}` });
    expect(readdirSync(state)).toEqual([]);
    expect(existsSync(join(home, "passphrase"))).toBe(false);
  });

  it("the region comes from the profile; a region without Pinpoint is to fix (exit 5)", async () => {
    withKey();
    awsConfig("[default]\nregion = eu-north-1\n");
    const result = await doctor([]);
    expect(result.code).toBe(EXIT.verification);
    expect(result.stdout).toContain('✘ AWS region with Amazon Pinpoint: eu-north-1 (from AWS profile "default")');
    expect(result.stdout).toContain("(from AWS profile \"default\") Amazon Pinpoint is not available in eu-north-1.");
    expect(lastErrorLine(result.stderr)).toBe("1 of 9 checks needs fixing.");
  });

  it("an S3 backend: HeadBucket on the state bucket, nothing written; a missing bucket is to fix", async () => {
    withKey();
    const s3 = new S3Client({ region: "us-east-1", endpoint: moto.endpoint, forcePathStyle: true, credentials: DUMMY_CREDENTIALS });
    await s3.send(new CreateBucketCommand({ Bucket: "team-state" }));
    s3.destroy();
    const fake = new FakePulumi();
    const there = await doctor(["--region", "us-east-1", "--backend-url", "s3://team-state?region=us-east-1", "--json"], { fake });
    expect(checksOf(there.stdout).find((check) => check.id === "backend")).toMatchObject({
      status: "ok",
      detail: "s3://team-state?region=us-east-1: bucket team-state answers HeadBucket; not written to (doctor writes nothing into a state bucket)",
    });
    const missing = await doctor(["--region", "us-east-1", "--backend-url", "s3://no-such-state?region=us-east-1"]);
    expect(missing.code).toBe(EXIT.verification);
    expect(missing.stdout).toContain("✘ State backend reachable and writable: s3://no-such-state?region=us-east-1: there is no bucket no-such-state");
  });
});

describe("credentials", () => {
  it("no credentials: exit 3, the AWS checks say why they were not made", async () => {
    const result = await doctor(["--region", "us-east-1"]);
    expect(result.code).toBe(EXIT.aws);
    expect(lastErrorLine(result.stderr)).toBe("No AWS credentials found.");
    expect(result.stdout).toContain("✘ AWS credentials: No AWS credentials found.");
    expect(result.stdout).toContain("⚠ Permissions for setup: could not check: no AWS identity (above)");
  });

  it("an expired IAM Identity Center (SSO) sign-in: exit 3 with the aws sso login that renews it", async () => {
    const userHome = join(moto.aws.dir, `sso-home-${++files}`);
    const cache = join(userHome, ".aws", "sso", "cache");
    mkdirSync(cache, { recursive: true });
    writeFileSync(
      join(cache, `${createHash("sha1").update("corp").digest("hex")}.json`),
      JSON.stringify({ accessToken: "expired", expiresAt: "2020-01-01T00:00:00Z", region: "us-east-1", startUrl: "https://example.awsapps.com/start" }),
    );
    awsConfig(
      "[profile expired]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = AdministratorAccess\nregion = us-east-1\n\n" +
        "[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n",
    );
    // The SDK finds the token cache under HOME.
    process.env.HOME = userHome;
    const result = await doctor(["--profile", "expired"]);

    expect(result.code).toBe(EXIT.aws);
    expect(lastErrorLine(result.stderr)).toMatch(/^Could not load AWS credentials for profile "expired": .*SSO/);
    expect(result.stdout).toContain('✘ AWS credentials: Could not load AWS credentials for profile "expired":');
    expect(result.stdout).toContain(" Sign in again with `aws sso login --profile expired`, then run census-pinpoint doctor");
  });
});

describe("the Pulumi CLI", () => {
  let bin: string;
  beforeEach(() => {
    bin = mkdtempSync(join(tmpdir(), "census-pinpoint-doctor-bin-"));
    withKey();
  });
  afterEach(() => rmSync(bin, { recursive: true, force: true }));

  it("none on PATH: to fix (exit 5), with how to install it; the stacks are not checked", async () => {
    process.env.PATH = `${bin}:/usr/bin:/bin`;
    const result = runCli(["doctor", "--region", "us-east-1"], { home });
    expect(await result.code).toBe(EXIT.verification);
    expect(flat(result.stdout())).toContain("✘ Pulumi CLI 3.181.0 or newer: not found on PATH");
    expect(flat(result.stdout())).toContain(" Install it with `curl -fsSL https://get.pulumi.com | sh`");
    expect(flat(result.stdout())).toContain("⚠ Secrets of existing stacks: could not check without a Pulumi CLI (above)");
    expect(lastErrorLine(result.stderr())).toBe("1 of 9 checks needs fixing.");
  });

  it("an old one: to fix (exit 5), naming its version and the one needed", async () => {
    writeFileSync(join(bin, "pulumi"), '#!/bin/sh\nif [ "$1" = version ]; then echo v3.100.0; exit 0; fi\nexit 1\n');
    chmodSync(join(bin, "pulumi"), 0o755);
    process.env.PATH = `${bin}:/usr/bin:/bin`;
    const result = runCli(["doctor", "--region", "us-east-1", "--json"], { home });
    expect(await result.code).toBe(EXIT.verification);
    expect(checksOf(result.stdout()).find((check) => check.id === "pulumi-cli")).toMatchObject({
      status: "fail",
      detail: "The Pulumi CLI is version 3.100.0; census-pinpoint needs 3.181.0 or newer.",
    });
  });
});

describe("the state backend", () => {
  /** Makes `folder` unwritable for this process: mode 500, or for root (whom modes do not stop) the immutable flag. */
  function unwritable(folder: string): (() => void) | undefined {
    if (process.getuid?.() !== 0) {
      chmodSync(folder, 0o500);
      return () => chmodSync(folder, 0o700);
    }
    try {
      execFileSync("chattr", ["+i", folder], { stdio: "ignore" });
      return () => execFileSync("chattr", ["-i", folder], { stdio: "ignore" });
    } catch {
      return undefined;
    }
  }

  it("a backend folder it cannot write: to fix (exit 5), with what to do", async () => {
    withKey();
    const state = join(home, "state");
    mkdirSync(state);
    const undo = unwritable(state);
    if (undo === undefined) {
      console.warn("skipped: running as root without chattr, so no folder can be made unwritable");
      return;
    }
    try {
      const result = await doctor(["--region", "us-east-1", "--backend-url", `file://${state}`]);
      expect(result.code).toBe(EXIT.verification);
      // Mode 500 refuses with EACCES; the immutable flag (root) with EPERM.
      const code = process.getuid?.() === 0 ? "EPERM" : "EACCES";
      expect(result.stdout).toContain("✘ State backend reachable and writable: file://<folder>: not writable (EACCES)".replace("<folder>", state).replace("EACCES", code));
      expect(result.stdout).toContain("⚠ Secrets of existing stacks: could not check: the backend cannot be used (above)");
      expect(lastErrorLine(result.stderr)).toBe("1 of 9 checks needs fixing.");
    } finally {
      undo();
    }
  });
});

describe("existing stacks", () => {
  it("a passphrase stack whose passphrase is there: ok; with its passphrase file gone: to fix, and none is made", async () => {
    withKey();
    const fake = new FakePulumi();
    const stack = await seedStack(fake, { ...process.env, CENSUS_PINPOINT_HOME: home });
    const passphrase = join(home, "passphrase");
    expect(existsSync(passphrase)).toBe(true);

    const good = await doctor(["--region", "us-east-1", "--json"], { fake });
    expect(good.code).toBe(EXIT.ok);
    expect(checksOf(good.stdout).find((check) => check.id === "stack-secrets")).toMatchObject({
      status: "ok",
      stack,
      what: `Secrets of stack ${stack}`,
      detail: `a passphrase, from the passphrase file ${passphrase}`,
    });

    rmSync(passphrase);
    const gone = await doctor(["--region", "us-east-1"], { fake });
    expect(gone.code).toBe(EXIT.verification);
    expect(gone.stdout).toContain("✘ Secrets of stack <stack>: No passphrase for the secrets of stack <stack>:".replaceAll("<stack>", stack));
    expect(existsSync(passphrase)).toBe(false);
  });

  it("a passphrase that does not open the stack's key (its encryption salt): to fix", async () => {
    withKey();
    const fake = new FakePulumi();
    process.env.PULUMI_CONFIG_PASSPHRASE = "hunter3";
    const stack = await seedStack(fake, { ...process.env, CENSUS_PINPOINT_HOME: home });
    // The salt `pulumi stack init` (CLI 3.248) wrote for the passphrase hunter2.
    writeFileSync(join(home, "workspaces", stack, `Pulumi.${stack}.yaml`), "encryptionsalt: v1:DLeZz3y/ooo=:v1:jBp9Kqg8x7hsJioY:bzyOg5ogu44lU5v27kefl0Ne7ZRmqw==\n");
    const result = await doctor(["--region", "us-east-1"], { fake });
    expect(result.code).toBe(EXIT.verification);
    expect(result.stdout).toContain(`✘ Secrets of stack ${stack}: the passphrase from PULUMI_CONFIG_PASSPHRASE does not open them`);
  });
});

describe("setup points to doctor", () => {
  it("a permission refused in setup's preflight: the hint names census-pinpoint doctor", async () => {
    const owner = { region: "us-east-1", endpoint: moto.endpoint, credentials: DUMMY_CREDENTIALS };
    const pinpoint = new PinpointClient(owner);
    const { ApplicationResponse } = await pinpoint.send(new CreateAppCommand({ CreateApplicationRequest: { Name: "doctor" } }));
    pinpoint.destroy();
    const iam = new IAMClient(owner);
    await iam.send(new CreateUserCommand({ UserName: "no-iam" }));
    const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["sts:GetCallerIdentity", "mobiletargeting:*", "s3:*"], Resource: "*" }] };
    await iam.send(new PutUserPolicyCommand({ UserName: "no-iam", PolicyName: "no-iam", PolicyDocument: JSON.stringify(policy) }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "no-iam" }));
    iam.destroy();
    await moto.enforceIam(true);
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: AccessKey!.AccessKeyId!, AWS_SECRET_ACCESS_KEY: AccessKey!.SecretAccessKey! });

    const argv = ["setup", "--region", "us-east-1", "--project-id", ApplicationResponse!.Id!, "--no-input", "--yes", "--skip-verify"];
    const result = runCli(argv, { home, fake: new FakePulumi() });
    expect(await result.code).toBe(EXIT.aws);
    expect(lastErrorLine(result.stderr())).toMatch(/^AWS denied IAM GetRole: .* is not allowed to perform iam:GetRole/);
    expect(result.stderr()).toContain(DOCTOR_HINT);
    expect(DOCTOR_HINT).toBe("`census-pinpoint doctor` checks all the permissions setup needs.");
  });
});
