// A team's stack on a shared backend, on the real engine: two "machines" (each with its own
// CENSUS_PINPOINT_HOME and Pulumi home) drive one stack; everything a command needs comes from the
// backend, never from the work dir of the machine that ran setup.
import { ListAccessKeysCommand } from "@aws-sdk/client-iam";
import { CreateBucketCommand, GetBucketLifecycleConfigurationCommand, HeadBucketCommand } from "@aws-sdk/client-s3";
import { existsSync, mkdirSync, readdirSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { join } from "node:path";
import { runPiped, startPiped, useE2e } from "./harness.js";

const REGION = "eu-west-1";
const e2e = useE2e();
const PASSPHRASE = { PULUMI_CONFIG_PASSPHRASE: "the team's passphrase" };

/** A second machine: its own census-pinpoint home and Pulumi home, the same moto and plugins. */
function secondMachine(): Record<string, string> {
  const root = join(e2e.home, "..", "machine-b");
  const pulumiHome = join(root, "pulumi-home");
  if (!existsSync(pulumiHome)) {
    mkdirSync(pulumiHome, { recursive: true });
    symlinkSync(readlinkSync(join(e2e.env().PULUMI_HOME!, "plugins")), join(pulumiHome, "plugins"));
  }
  // A fresh machine for each test, as e2e.reset() gives the first one.
  rmSync(join(root, "census-pinpoint-home"), { recursive: true, force: true });
  return { CENSUS_PINPOINT_HOME: join(root, "census-pinpoint-home"), PULUMI_HOME: pulumiHome };
}

function on(machine: Record<string, string | undefined>, args: string[], extra: Record<string, string | undefined> = {}) {
  return runPiped(args, e2e.env({ extra: { ...machine, ...extra } }), { timeoutMs: 90_000 });
}

const A = {};

beforeEach(() => e2e.reset());

async function kmsKey(): Promise<string> {
  const response = await fetch(e2e.moto.endpoint, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.1",
      "X-Amz-Target": "TrentService.CreateKey",
      Authorization: `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261201/${REGION}/kms/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify({ Description: "census-pinpoint team secrets" }),
  });
  const { KeyMetadata } = (await response.json()) as { KeyMetadata: { KeyId: string } };
  return KeyMetadata.KeyId;
}

/** The two shared backends of the issue: a folder both machines reach, and an S3 bucket in moto. */
const SHARED_BACKENDS: Array<[string, () => Promise<string>]> = [
  [
    "a shared file backend",
    async () => {
      mkdirSync(join(e2e.home, "..", "shared-state"), { recursive: true });
      return `file://${join(e2e.home, "..", "shared-state")}`;
    },
  ],
  [
    "an S3 backend in moto",
    async () => {
      await e2e.aws("us-east-1").s3.send(new CreateBucketCommand({ Bucket: "team-pulumi-state" }));
      return `s3://team-pulumi-state?endpoint=${e2e.moto.endpoint}&s3ForcePathStyle=true&region=us-east-1`;
    },
  ],
];

test.each(SHARED_BACKENDS)("%s: a machine that never saw the stack lists, reads, verifies, re-runs and rotates it with the custom names kept; the first machine finishes the rotation; the second tears it down", async (_backend, makeBackend) => {
  const B = secondMachine();
  const projectId = await e2e.createPinpointProject(REGION, "Team");
  const shared = ["--backend-url", await makeBackend()];
  const stack = ["--region", REGION, "--project-id", projectId, ...shared];
  const custom = ["--bucket-name", "team-census-staging", "--census-user-name", "team-census", "--expiration-days", "14"];
  const { s3, iam } = e2e.aws(REGION);
  const keys = async () => (await iam.send(new ListAccessKeysCommand({ UserName: "team-census" }))).AccessKeyMetadata!.map((key) => key.AccessKeyId).sort();

  const setup = await on(A, ["setup", "--no-input", "--yes", "--json", "--skip-verify", ...stack, ...custom], PASSPHRASE);
  expect({ code: setup.code, stderr: setup.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  const values = JSON.parse(setup.stdout) as { accessKeyId: string; secretAccessKey: string; stagingBucketName: string };
  expect(values.stagingBucketName).toBe("team-census-staging");

  const list = await on(B, ["list", "--json", ...shared], PASSPHRASE);
  expect(list.code).toBe(0);
  expect(JSON.parse(list.stdout)).toMatchObject({ stacks: [{ projectId, region: REGION, censusUserName: "team-census" }] });
  const credentials = await on(B, ["credentials", "--show-secret", "--json", ...stack], PASSPHRASE);
  expect(JSON.parse(setup.stdout)).toMatchObject(JSON.parse(credentials.stdout));
  const verify = await on(B, ["verify", "--json", ...stack], PASSPHRASE);
  expect({ code: verify.code, stderr: verify.stderr }).toEqual({ code: 0, stderr: expect.any(String) });

  // No flags: the names and the expiry come from the stack, so nothing is renamed or replaced.
  const rerun = await on(B, ["setup", "--no-input", "--yes", "--json", "--skip-verify", ...stack], PASSPHRASE);
  expect({ code: rerun.code, stderr: rerun.stderr }).toEqual({ code: 0, stderr: expect.stringContaining("No changes") });
  expect(JSON.parse(rerun.stdout)).toMatchObject({ stagingBucketName: "team-census-staging", accessKeyId: values.accessKeyId });
  const lifecycle = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: "team-census-staging" }));
  expect(lifecycle.Rules?.[0]?.Expiration?.Days).toBe(14);

  const started = await on(B, ["rotate-key", "--no-input", "--json", ...stack], PASSPHRASE);
  expect({ code: started.code, stderr: started.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  const rotation = JSON.parse(started.stdout) as { accessKeyId: string };
  expect(await keys()).toEqual([values.accessKeyId, rotation.accessKeyId].sort());

  // The first machine's work dir still holds the config from before the rotation: the backend's wins.
  const finished = await on(A, ["rotate-key", "--finish", "--yes", "--no-input", "--json", ...stack], PASSPHRASE);
  expect({ code: finished.code, stderr: finished.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  expect(JSON.parse(finished.stdout)).toMatchObject({ accessKeyId: rotation.accessKeyId, deletedAccessKeyId: values.accessKeyId });
  expect(await keys()).toEqual([rotation.accessKeyId]);
  const again = await on(A, ["setup", "--no-input", "--yes", "--json", "--skip-verify", ...stack], PASSPHRASE);
  expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: expect.stringContaining("No changes") });
  expect(JSON.parse(again.stdout)).toMatchObject({ accessKeyId: rotation.accessKeyId, stagingBucketName: "team-census-staging" });

  const teardown = await on(B, ["teardown", "--yes", "--no-input", "--json", ...stack], PASSPHRASE);
  expect({ code: teardown.code, stderr: teardown.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  expect(JSON.parse(teardown.stdout)).toMatchObject({ status: "torn-down", leftovers: [] });
  await expect(s3.send(new HeadBucketCommand({ Bucket: "team-census-staging" }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  expect(JSON.parse((await on(A, ["list", "--json", ...shared], PASSPHRASE)).stdout)).toEqual({ stacks: [] });
}, 400_000);

test("a team KMS key (awskms:// in moto): setup needs no passphrase and makes none; the other machine reads the secret with nothing but AWS access", async () => {
  const B = secondMachine();
  const projectId = await e2e.createPinpointProject(REGION, "Team KMS");
  const keyId = await kmsKey();
  const stack = ["--region", REGION, "--project-id", projectId];
  const provider = `awskms://${keyId}?region=${REGION}&endpoint=${encodeURIComponent(e2e.moto.endpoint)}`;
  const shared = ["--backend-url", `file://${join(e2e.home, "..", "kms-state")}`];
  mkdirSync(join(e2e.home, "..", "kms-state"), { recursive: true });

  const missingKey = provider.replace(keyId, "alias/no-such-key");
  const refused = await on(A, ["setup", "--no-input", "--yes", "--skip-verify", ...stack, ...shared, "--secrets-provider", missingKey]);
  expect({ code: refused.code, stdout: refused.stdout }).toEqual({ code: 3, stdout: "" });
  expect(refused.stderr).toContain("The secrets provider of stack <stack> cannot be used:".replace("<stack>", `${REGION}-${projectId}`));
  expect(refused.stderr).toContain("alias/no-such-key is not found");
  expect(JSON.parse((await on(A, ["list", "--json", ...shared])).stdout)).toEqual({ stacks: [] });

  const setup = await on(A, ["setup", "--no-input", "--yes", "--json", "--skip-verify", ...stack, ...shared, "--secrets-provider", provider]);
  expect({ code: setup.code, stderr: setup.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  expect(setup.stderr).not.toContain("Generated a passphrase");
  expect(existsSync(join(e2e.home, "passphrase"))).toBe(false);
  const { secretAccessKey } = JSON.parse(setup.stdout) as { secretAccessKey: string };

  const credentials = await on(B, ["credentials", "--show-secret", "--json", ...stack, ...shared]);
  expect({ code: credentials.code, stderr: credentials.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  expect(JSON.parse(credentials.stdout)).toMatchObject({ secretAccessKey });
  expect(existsSync(join(B.CENSUS_PINPOINT_HOME!, "passphrase"))).toBe(false);
}, 200_000);

test("a passphrase stack moves to the team's KMS key on setup --secrets-provider; a bad provider is refused before anything is made", async () => {
  const B = secondMachine();
  const projectId = await e2e.createPinpointProject(REGION, "Team move");
  const stack = ["--region", REGION, "--project-id", projectId];

  const refused = await on(A, ["setup", "--no-input", "--yes", "--skip-verify", ...stack, "--secrets-provider", "vault://nope"]);
  expect({ code: refused.code, stdout: refused.stdout }).toEqual({ code: 2, stdout: "" });
  expect(refused.stderr).toContain('--secrets-provider "vault://nope" is not a secrets provider Pulumi knows.');
  expect(existsSync(join(e2e.home, "state", ".pulumi"))).toBe(false);

  const setup = await on(A, ["setup", "--no-input", "--yes", "--json", "--skip-verify", ...stack], PASSPHRASE);
  expect(setup.code).toBe(0);
  const { secretAccessKey } = JSON.parse(setup.stdout) as { secretAccessKey: string };
  const provider = `awskms://${await kmsKey()}?region=${REGION}&endpoint=${encodeURIComponent(e2e.moto.endpoint)}`;
  const moved = await on(A, ["setup", "--no-input", "--yes", "--json", "--skip-verify", ...stack, "--secrets-provider", provider], PASSPHRASE);
  expect({ code: moved.code, stderr: moved.stderr }).toEqual({ code: 0, stderr: expect.stringContaining("The secrets of stack <stack> are now encrypted with awskms://".replace("<stack>", `${REGION}-${projectId}`)) });

  // The same file backend from another home, and no passphrase at all: the KMS key is enough.
  const backend = ["--backend-url", `file://${join(e2e.home, "state")}`];
  const credentials = await on(B, ["credentials", "--show-secret", "--json", ...stack, ...backend]);
  expect({ code: credentials.code, stderr: credentials.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  expect(JSON.parse(credentials.stdout)).toMatchObject({ secretAccessKey });
}, 240_000);

test("two machines at once: the second run is told the stack is locked (exit 4) and creates nothing; once the first is done it finds no changes", async () => {
  const B = secondMachine();
  const projectId = await e2e.createPinpointProject(REGION, "Team race");
  const shared = ["--backend-url", `file://${join(e2e.home, "..", "race-state")}`];
  mkdirSync(join(e2e.home, "..", "race-state"), { recursive: true });
  const stack = ["--region", REGION, "--project-id", projectId, ...shared];
  const seed = await on(A, ["setup", "--no-input", "--yes", "--skip-verify", ...stack, "--expiration-days", "7"], PASSPHRASE);
  expect(seed.code).toBe(0);

  // A slow update on A (each change waits), then B while A holds the lock.
  const first = startPiped(["setup", "--no-input", "--yes", "--skip-verify", ...stack, "--expiration-days", "30"], e2e.env({ extra: { ...PASSPHRASE, CENSUS_TEST_PROVIDER_DELAY_MS: "30000" } }));
  const locks = join(e2e.home, "..", "race-state", ".pulumi", "locks", "organization", "census-pinpoint", `${REGION}-${projectId}`);
  for (const deadline = Date.now() + 60_000; !(existsSync(locks) && readdirSync(locks).length > 0); await sleep(100)) {
    if (Date.now() > deadline) throw new Error(`the first run never took the lock:\n${first.stderr}`);
  }
  const second = await on(B, ["setup", "--no-input", "--yes", "--skip-verify", ...stack, "--expiration-days", "30"], PASSPHRASE);
  expect({ code: second.code, stderr: second.stderr }).toEqual({ code: 4, stderr: expect.any(String) });
  expect(second.stderr).toContain("Stack <stack> is locked: another update is running".replace("<stack>", `${REGION}-${projectId}`));
  expect(second.stdout).toBe("");
  const done = await first.result;
  expect({ code: done.code, stderr: done.stderr }).toEqual({ code: 0, stderr: expect.any(String) });

  const after = await on(B, ["setup", "--no-input", "--yes", "--skip-verify", ...stack], PASSPHRASE);
  expect({ code: after.code, stderr: after.stderr }).toEqual({ code: 0, stderr: expect.stringContaining("No changes") });
  const lifecycle = await e2e.aws(REGION).s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: JSON.parse((await on(B, ["credentials", "--json", ...stack], PASSPHRASE)).stdout).stagingBucketName }));
  expect(lifecycle.Rules?.[0]?.Expiration?.Days).toBe(30);
}, 300_000);
