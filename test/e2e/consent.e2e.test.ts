// An update of an existing stack shows its real plan (a Pulumi preview with the live state) and never
// replaces or deletes what Census depends on without a consent of its own: a new --bucket-name
// replaces the bucket with its files, a new --census-user-name replaces the key Census holds. `--yes`
// alone refuses (exit 2, nothing changed); --allow-replace or the project ID typed in a terminal allow.
import { GetObjectCommand, HeadBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { ListAccessKeysCommand } from "@aws-sdk/client-iam";
import { runInPty, runPiped, useE2e } from "./harness.js";

const REGION = "eu-west-2";
const e2e = useE2e();
let projectId: string;
let bucket: string;

function cli(args: string[]) {
  return runPiped(args, e2e.env(), { timeoutMs: 60_000 });
}

const setupArgs = (...extra: string[]) => ["setup", "--no-input", "--yes", "--skip-verify", "--region", REGION, "--project-id", projectId, ...extra];

beforeEach(async () => {
  await e2e.reset();
  projectId = await e2e.createPinpointProject(REGION, "Consent");
  const setup = await cli([...setupArgs(), "--json"]);
  expect({ code: setup.code, stderr: setup.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  bucket = (JSON.parse(setup.stdout) as { stagingBucketName: string }).stagingBucketName;
  await e2e.aws(REGION).s3.send(new PutObjectCommand({ Bucket: bucket, Key: "segments/staged.csv", Body: "id\n1\n" }));
});

test("another --bucket-name with --yes alone: the plan names the replacement and the file that goes with it, exit 2, nothing changed", async () => {
  const refused = await cli(setupArgs("--bucket-name", `${bucket}-renamed`));

  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain(`What this update does to stack ${REGION}-${projectId}:`);
  expect(refused.stderr).toContain(`± replace  S3 bucket ${bucket} → S3 bucket ${bucket}-renamed`);
  expect(refused.stderr).toContain(`The S3 bucket ${bucket} is replaced by S3 bucket ${bucket}-renamed, and deleted with the 1 file it holds; Census must then be given the new bucket name.`);
  expect(refused.stderr).toContain(
    "This update would replace or delete what Census depends on (listed above); --yes alone does not allow that, and nothing was changed.",
  );
  const { s3 } = e2e.aws(REGION);
  await expect(s3.send(new GetObjectCommand({ Bucket: bucket, Key: "segments/staged.csv" }))).resolves.toBeDefined();
  await expect(s3.send(new HeadBucketCommand({ Bucket: `${bucket}-renamed` }))).rejects.toMatchObject({ name: "NotFound" });
  // Nothing was written into the stack either: the same setup as before changes nothing.
  const again = await cli(setupArgs());
  expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: expect.stringContaining("this update changes nothing") });
}, 180_000);

test("--allow-replace lets the same run replace the bucket", async () => {
  const replaced = await cli(setupArgs("--bucket-name", `${bucket}-renamed`, "--allow-replace"));

  expect({ code: replaced.code, stderr: replaced.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  expect(replaced.stdout).toContain(`S3 Staging Bucket Name  ${bucket}-renamed`);
  const { s3 } = e2e.aws(REGION);
  await expect(s3.send(new HeadBucketCommand({ Bucket: bucket }))).rejects.toMatchObject({ name: "NotFound" });
}, 180_000);

test("another --census-user-name replaces the key Census holds: refused with --yes alone, and in a terminal only the typed project ID allows it", async () => {
  const user = `census-pinpoint-${projectId.slice(0, 8)}`;
  const refused = await cli(setupArgs("--census-user-name", "census-reader"));
  expect(refused.code).toBe(2);
  expect(refused.stderr).toMatch(new RegExp(`The access key AKIA\\w+ of user ${user} is replaced: Census stops syncing until you paste the new key into it\\.`));

  const session = runInPty(["setup", "--skip-verify", "--region", REGION, "--project-id", projectId, "--census-user-name", "census-reader"], e2e.env());
  await session.waitFor(/Customize names and expiry\?/, 30_000);
  session.key("enter");
  await session.waitFor(`Type the project ID ${projectId} to allow this`, 60_000);
  session.type("not-the-id");
  session.key("enter");
  expect(await session.exit(30_000)).toBe(2);
  expect(session.screen).toContain("What was typed is not the project ID <id>: nothing was changed.".replace("<id>", projectId));
  const { iam } = e2e.aws(REGION);
  expect((await iam.send(new ListAccessKeysCommand({ UserName: user }))).AccessKeyMetadata).toHaveLength(1);
}, 180_000);
