// Names on the real engine: two Pinpoint projects in one region of one account, each with every
// default; a second stack for a project that already has one (another machine, another
// CENSUS_PINPOINT_HOME) stopped before it writes anything; a teardown that checks only what its own
// state held; and an upgrade from a stack made when the default bucket name had no project in it.
import { ListBucketsCommand, PutObjectCommand, GetObjectCommand } from "@aws-sdk/client-s3";
import { GetRoleCommand, GetUserCommand } from "@aws-sdk/client-iam";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { runPiped, useE2e } from "./harness.js";

const REGION = "ap-southeast-2";
const ACCOUNT = "123456789012";
const e2e = useE2e();

function setup(projectId: string, options: { extra?: string[]; env?: Record<string, string> } = {}) {
  const args = ["setup", "--no-input", "--yes", "--skip-verify", "--json", "--region", REGION, "--project-id", projectId, ...(options.extra ?? [])];
  return runPiped(args, { ...e2e.env(), ...options.env }, { timeoutMs: 60_000 });
}

async function bucketNames(): Promise<string[]> {
  return ((await e2e.aws(REGION).s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((bucket) => bucket.Name!).sort();
}

beforeEach(() => e2e.reset());

test("two projects in one region set up with every default; a teardown of one checks only what its state held and leaves the other alone", async () => {
  const [first, second] = [await e2e.createPinpointProject(REGION, "Marketing"), await e2e.createPinpointProject(REGION, "Sales")];
  for (const projectId of [first, second]) {
    const run = await setup(projectId);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  }
  const bucketOf = (projectId: string) => `census-pinpoint-staging-${projectId.slice(0, 8)}-${ACCOUNT}-${REGION}`;
  expect(await bucketNames()).toEqual([bucketOf(first), bucketOf(second)].sort());

  const teardown = await runPiped(["teardown", "--no-input", "--yes", "--json", "--region", REGION, "--project-id", second], e2e.env(), { timeoutMs: 60_000 });
  expect({ code: teardown.code, stderr: teardown.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  expect(teardown.stdout).not.toContain(first.slice(0, 8));
  expect(await bucketNames()).toEqual([bucketOf(first)]);
  const { iam } = e2e.aws(REGION);
  await expect(iam.send(new GetUserCommand({ UserName: `census-pinpoint-${first.slice(0, 8)}` }))).resolves.toBeDefined();
}, 180_000);

test("a second stack for a project that has one (another CENSUS_PINPOINT_HOME) stops before anything is created, saying who holds the names", async () => {
  const projectId = await e2e.createPinpointProject(REGION, "Marketing");
  expect((await setup(projectId)).code).toBe(0);
  const before = await bucketNames();

  const otherHome = join(e2e.home, "..", "other-machine");
  const second = await setup(projectId, { env: { CENSUS_PINPOINT_HOME: otherHome } });

  expect(second.code).toBe(2);
  expect(second.stderr).toContain(
    `✖ The S3 bucket name "census-pinpoint-staging-${projectId.slice(0, 8)}-${ACCOUNT}-${REGION}" is taken: another census-pinpoint stack of this same Pinpoint project made it (on another machine, with another CENSUS_PINPOINT_HOME, or in another backend).`,
  );
  expect(second.stderr).toContain(`The IAM role name "CensusPinpointSegmentImporter-${projectId.slice(0, 8)}" is taken: another census-pinpoint stack of this same Pinpoint project made it`);
  expect(second.stderr).toContain("Run census-pinpoint where that stack is (or pass the --backend-url that holds it)");
  expect(second.stderr).not.toContain("resumes");
  expect(await bucketNames()).toEqual(before);
}, 180_000);

test("an upgrade keeps the bucket (and its files) of a stack made when the default name had no project in it", async () => {
  const projectId = await e2e.createPinpointProject(REGION, "Marketing");
  const oldDefault = `census-pinpoint-staging-${ACCOUNT}-${REGION}`;
  expect((await setup(projectId, { extra: ["--bucket-name", oldDefault] })).code).toBe(0);
  // What a stack made by the previous version looks like: no bucket name in its config.
  const stack = `${REGION}-${projectId}`;
  const workDir = join(e2e.home, "workspaces", stack);
  const removed = spawnSync("pulumi", ["-C", workDir, "config", "rm", "census-pinpoint:bucketName", "--stack", stack], {
    env: { ...e2e.env(), PULUMI_CONFIG_PASSPHRASE_FILE: join(e2e.home, "passphrase") },
    encoding: "utf8",
  });
  expect({ status: removed.status, stderr: removed.stderr }).toEqual({ status: 0, stderr: "" });
  const { s3 } = e2e.aws(REGION);
  await s3.send(new PutObjectCommand({ Bucket: oldDefault, Key: "segments/staged.csv", Body: "id\n1\n" }));

  const upgraded = await setup(projectId);
  expect({ code: upgraded.code, stderr: upgraded.stderr }).toEqual({ code: 0, stderr: expect.stringContaining("this update changes nothing") });
  expect(JSON.parse(upgraded.stdout)).toMatchObject({ stagingBucketName: oldDefault });
  await expect(s3.send(new GetObjectCommand({ Bucket: oldDefault, Key: "segments/staged.csv" }))).resolves.toBeDefined();
  expect(await bucketNames()).toEqual([oldDefault]);
  await expect(e2e.aws(REGION).iam.send(new GetRoleCommand({ RoleName: `CensusPinpointSegmentImporter-${projectId.slice(0, 8)}` }))).resolves.toBeDefined();
}, 180_000);
