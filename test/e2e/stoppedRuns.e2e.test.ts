// Runs that stop before they are done, on the real engine. SIGTERM (a CI cancel, `docker stop`) and
// SIGHUP (a closed terminal) stop an update as Ctrl-C does: Pulumi finishes what is in flight, the lock
// is released, one message names the resume command. A run killed outright (SIGKILL) leaves its lock
// and creates Pulumi never recorded: the lock message's `pulumi cancel` clears the lock, and the next
// `setup` finishes the job, taking back what AWS made; a state metadata file such a kill left empty is
// removed. A second run while one works is refused.
import { HeadBucketCommand, ListBucketsCommand } from "@aws-sdk/client-s3";
import { ListAccessKeysCommand } from "@aws-sdk/client-iam";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { runPiped, startPiped, useE2e } from "./harness.js";

const REGION = "eu-west-1";
const BUCKET = "census-pinpoint-killed-run-test";

const e2e = useE2e();

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(100)) if (await check()) return;
  throw new Error(`timed out waiting for ${what}`);
}

function lockDir(stack: string): string {
  return join(e2e.home, "state/.pulumi/locks/organization/census-pinpoint", stack);
}

/** The lock files of the default file backend for this stack (none once every update released it). */
function lockFiles(stack: string): string[] {
  const dir = lockDir(stack);
  return existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith(".json")) : [];
}

/** A stop signal to the whole process group mid-update, as a supervisor or a closing terminal sends it. */
async function stopsSafely(signal: "SIGTERM" | "SIGHUP", code: number): Promise<void> {
  await e2e.reset();
  const projectId = await e2e.createPinpointProject(REGION, `Stopped by ${signal}`);
  const stack = `${REGION}-${projectId}`;
  const args = ["setup", "--no-input", "--yes", "--skip-verify", "--region", REGION, "--project-id", projectId];
  const run = startPiped(args, e2e.env({ extra: { CENSUS_TEST_PROVIDER_DELAY_MS: "1500" } }));
  await until(() => run.stderr.includes("… creating "), "the update to start");
  run.killGroup(signal);
  const stopped = await run.result;
  expect(stopped.code).toBe(code);
  expect(stopped.stderr).toContain(`${signal} received: stopping safely`);
  expect(stopped.stderr).toContain(
    "The update of stack <stack> was interrupted by <signal>; resources it was changing may be half-done.".replace("<stack>", stack).replace("<signal>", signal),
  );
  expect(stopped.stderr.match(/to resume where it stopped/g)).toHaveLength(1);
  expect(lockFiles(stack)).toEqual([]);
  const resume = /Run `census-pinpoint (setup [^`]+)` to resume where it stopped\./.exec(stopped.stderr)?.[1];

  const resumed = await runPiped(resume!.split(" "), e2e.env(), { timeoutMs: 60_000 });
  expect({ code: resumed.code, stderr: resumed.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  expect(resumed.stdout).toContain("Access Key ID");
}

test("SIGTERM during provisioning stops the update safely: exit 143, one message with the resume command, no lock left; the resume finishes the job", () => stopsSafely("SIGTERM", 143), 120_000);

test("SIGHUP during provisioning stops the update safely: exit 129, one message with the resume command, no lock left; the resume finishes the job", () => stopsSafely("SIGHUP", 129), 120_000);

test("a second setup while one is updating the stack is refused as locked, and the first one finishes", async () => {
  await e2e.reset();
  const projectId = await e2e.createPinpointProject(REGION, "Two at once");
  const args = ["setup", "--no-input", "--yes", "--skip-verify", "--region", REGION, "--project-id", projectId];
  // Slow enough that the first run still holds the lock when the second one reaches its update, even
  // on a loaded machine (5 s per change was not, once on CI: the second run's preflight and preview
  // outlasted the whole first update).
  const first = startPiped(args, e2e.env({ extra: { CENSUS_TEST_PROVIDER_DELAY_MS: "15000" } }));
  await until(() => lockFiles(`${REGION}-${projectId}`).length > 0, "the first run to take the lock");
  const second = await runPiped(args, e2e.env(), { timeoutMs: 60_000 });
  expect(second.code).toBe(4);
  expect(second.stderr).toContain(`Stack ${REGION}-${projectId} is locked: another update is running, or one that was killed left its lock behind.`);
  expect((await first.result).code).toBe(0);
}, 240_000);

test("kill -9 mid-update: the next run names the stale lock and pulumi cancel, which clears it; then setup converges and keeps the bucket AWS made", async () => {
  await e2e.reset();
  const projectId = await e2e.createPinpointProject(REGION, "Killed");
  const args = ["setup", "--no-input", "--yes", "--skip-verify", "--region", REGION, "--project-id", projectId, "--bucket-name", BUCKET];
  const { s3, iam } = e2e.aws(REGION);

  // AWS makes the bucket, then the provider never answers: Pulumi has not recorded it when the kill lands.
  const killed = startPiped(args, e2e.env({ extra: { CENSUS_TEST_PROVIDER_HANG_AFTER_CREATE: "census-pinpoint-staging" } }));
  const bucketExists = () => s3.send(new HeadBucketCommand({ Bucket: BUCKET })).then(() => true, () => false);
  await until(bucketExists, "the bucket to exist in moto");
  // What a crash of the machine does: census-pinpoint, and the Pulumi CLI it runs in a session of its own.
  const [lockFile] = lockFiles(`${REGION}-${projectId}`);
  const { pid } = JSON.parse(readFileSync(join(lockDir(`${REGION}-${projectId}`), lockFile!), "utf8")) as { pid: number };
  killed.killGroup("SIGKILL");
  process.kill(-pid, "SIGKILL");
  expect((await killed.result).code).toBeNull();

  const locked = await runPiped(args, e2e.env(), { timeoutMs: 60_000 });
  expect(locked.code).toBe(4);
  expect(locked.stderr).toContain("is locked: another update is running, or one that was killed left its lock behind.");
  const cancel = /`(pulumi -C \S+ cancel --stack \S+ --yes)`/.exec(locked.stderr)?.[1];
  expect(cancel).toBeDefined();

  const [command, ...cancelArgs] = cancel!.split(" ");
  const cancelled = spawnSync(command!, cancelArgs, { env: e2e.env(), encoding: "utf8" });
  expect({ status: cancelled.status, stderr: cancelled.stderr }).toEqual({ status: 0, stderr: "" });

  const resumed = await runPiped(args, e2e.env(), { timeoutMs: 60_000 });
  expect({ code: resumed.code, stderr: resumed.stderr }).toEqual({ code: 0, stderr: expect.stringContaining("A run that was stopped abruptly had left resources half-created.") });
  expect(resumed.stderr).toMatch(new RegExp(`These exist in AWS and the stack takes them back: [^\\n]*\\b${BUCKET}\\b`));
  expect(resumed.stdout).toContain(`S3 Staging Bucket Name  ${BUCKET}`);
  expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((bucket) => bucket.Name)).toEqual([BUCKET]);
  // The stack holds one key. If the killed run had got as far as making one, nobody has its secret:
  // it is named (not deleted: the stack never held it).
  const user = `census-pinpoint-${projectId.slice(0, 8)}`;
  const held = /Access Key ID\s+(\S+)/.exec(resumed.stdout)![1];
  const stray = ((await iam.send(new ListAccessKeysCommand({ UserName: user }))).AccessKeyMetadata ?? []).map((key) => key.AccessKeyId!).filter((id) => id !== held);
  for (const keyId of stray) expect(resumed.stderr).toContain(`IAM user ${user} has an access key, ${keyId}, that the stack does not hold`);

  // The stack holds everything now: another run changes nothing.
  const again = await runPiped(args, e2e.env(), { timeoutMs: 60_000 });
  expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: expect.stringContaining("No changes") });
}, 180_000);

test("a state metadata file left empty by a killed run, which makes Pulumi fail with \"failed to load checkpoint: EOF\", is removed with a warning and the stack works again", async () => {
  await e2e.reset();
  const projectId = await e2e.createPinpointProject(REGION, "Cut short");
  const stack = `${REGION}-${projectId}`;
  const args = ["setup", "--no-input", "--yes", "--skip-verify", "--region", REGION, "--project-id", projectId];
  expect((await runPiped(args, e2e.env(), { timeoutMs: 60_000 })).code).toBe(0);
  // What a kill between the truncation and the write of Go CDK's metadata file leaves.
  const metadata = join(e2e.home, "state/.pulumi/stacks/census-pinpoint", `${stack}.json.attrs`);
  expect(existsSync(metadata)).toBe(true);
  writeFileSync(metadata, "");
  const raw = spawnSync("pulumi", ["-C", join(e2e.home, "workspaces", stack), "stack", "export", "--stack", stack], { env: e2e.env(), encoding: "utf8" });
  expect({ status: raw.status, stderr: raw.stderr }).toEqual({ status: 1, stderr: expect.stringContaining("failed to load checkpoint: EOF") });

  const read = await runPiped(["credentials", "--stack", stack], e2e.env(), { timeoutMs: 60_000 });
  expect(read.code).toBe(0);
  expect(read.stderr).toContain(
    `A run that was stopped abruptly left a metadata file of the state empty (.pulumi/stacks/census-pinpoint/${stack}.json.attrs), which Pulumi cannot read;`,
  );
  expect(read.stdout).toContain("Access Key ID");
  const again = await runPiped(args, e2e.env(), { timeoutMs: 60_000 });
  expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: expect.stringContaining("No changes") });
  expect(again.stderr).not.toContain("metadata file");
}, 120_000);
