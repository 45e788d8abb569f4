// The component as `pulumi up` users run it, on the real engine: `protect` (on by default) turns an
// update that would replace the bucket, the Census user or its key into an error instead of deleting
// them, and a stack made when the default bucket name had no project in it keeps its bucket.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { useE2e } from "./harness.js";

const REGION = "us-east-2";
const ACCOUNT = "123456789012";
const e2e = useE2e();
const tsx = createRequire(import.meta.url).resolve("tsx/cli");

interface Outcome {
  error?: string;
  changes?: Record<string, number>;
  protectedTypes: string[];
  bucket?: string;
}

function up(workDir: string, stack: string, config: Record<string, string | null>): Outcome {
  const env = { ...e2e.env(), PULUMI_BACKEND_URL: `file://${join(e2e.home, "state")}`, PULUMI_CONFIG_PASSPHRASE: "iac" };
  // Its stderr carries what the SDK logs of a refused update's program: not this test's output.
  const printed = execFileSync(process.execPath, [tsx, join(import.meta.dirname, "componentUpdate.ts"), workDir, stack, JSON.stringify(config)], {
    env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return JSON.parse(printed.trim().split("\n").at(-1)!) as Outcome;
}

test("protect (the default) keeps the bucket, the Census user and its current key from being replaced: the update fails instead", async () => {
  await e2e.reset();
  const projectId = await e2e.createPinpointProject(REGION, "IaC");
  const workDir = join(e2e.home, "iac");
  mkdirSync(workDir, { recursive: true });
  mkdirSync(join(e2e.home, "state"), { recursive: true });

  const created = up(workDir, "prod", { "aws:region": REGION, "census-pinpoint:pinpointProjectId": projectId });
  expect(created.error).toBeUndefined();
  expect(created.protectedTypes.sort()).toEqual(
    expect.arrayContaining(["aws:iam/accessKey:AccessKey", "aws:iam/user:User", "aws:s3/bucket:Bucket"]),
  );
  const bucket = created.bucket!;
  expect(bucket).toBe(`census-pinpoint-staging-${projectId.slice(0, 8)}-${ACCOUNT}-${REGION}`);

  const renamed = up(workDir, "prod", { "census-pinpoint:bucketName": `${bucket}-renamed` });
  expect(renamed.error).toMatch(/protect/);
  await expect(e2e.aws(REGION).s3.send(new HeadBucketCommand({ Bucket: bucket }))).resolves.toBeDefined();
}, 180_000);

test("a default bucket name never renames an existing bucket: a stack made with the old default keeps it", async () => {
  await e2e.reset();
  const projectId = await e2e.createPinpointProject(REGION, "IaC");
  const workDir = join(e2e.home, "iac");
  mkdirSync(workDir, { recursive: true });
  mkdirSync(join(e2e.home, "state"), { recursive: true });
  const oldDefault = `census-pinpoint-staging-${ACCOUNT}-${REGION}`;
  expect(up(workDir, "prod", { "aws:region": REGION, "census-pinpoint:pinpointProjectId": projectId, "census-pinpoint:bucketName": oldDefault }).error).toBeUndefined();

  const upgraded = up(workDir, "prod", { "census-pinpoint:bucketName": null });
  expect(upgraded.error).toBeUndefined();
  expect(upgraded.changes).toEqual({ same: expect.any(Number) });
  expect(upgraded.bucket).toBe(oldDefault);
}, 180_000);
