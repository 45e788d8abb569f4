// A run killed outright (SIGKILL: no chance to clean up) in the middle of `setup`, on the real engine:
// it leaves the stack's lock and creates Pulumi never recorded. The lock message's `pulumi cancel`
// command must clear the lock, and the next `setup` must finish the job, taking back what AWS made.
import { HeadBucketCommand, ListBucketsCommand } from "@aws-sdk/client-s3";
import { ListAccessKeysCommand } from "@aws-sdk/client-iam";
import { spawnSync } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { runPiped, startPiped, useE2e } from "./harness.js";

const REGION = "eu-west-1";
const BUCKET = "census-pinpoint-killed-run-test";

const e2e = useE2e();

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(100)) if (await check()) return;
  throw new Error(`timed out waiting for ${what}`);
}

test("kill -9 mid-update: the next run names the stale lock and pulumi cancel, which clears it; then setup converges and keeps the bucket AWS made", async () => {
  await e2e.reset();
  const projectId = await e2e.createPinpointProject(REGION, "Killed");
  const args = ["setup", "--no-input", "--yes", "--skip-verify", "--region", REGION, "--project-id", projectId, "--bucket-name", BUCKET];
  const { s3, iam } = e2e.aws(REGION);

  // AWS makes the bucket, then the provider never answers: Pulumi has not recorded it when the kill lands.
  const killed = startPiped(args, e2e.env({ extra: { CENSUS_TEST_PROVIDER_HANG_AFTER_CREATE: "census-pinpoint-staging" } }));
  const bucketExists = () => s3.send(new HeadBucketCommand({ Bucket: BUCKET })).then(() => true, () => false);
  await until(bucketExists, "the bucket to exist in moto");
  killed.killGroup("SIGKILL");
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
  const { AccessKeyMetadata } = await iam.send(new ListAccessKeysCommand({ UserName: `census-pinpoint-${projectId.slice(0, 8)}` }));
  expect(AccessKeyMetadata).toHaveLength(1);

  // The stack holds everything now: another run changes nothing.
  const again = await runPiped(args, e2e.env(), { timeoutMs: 60_000 });
  expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: expect.stringContaining("No changes") });
}, 180_000);
