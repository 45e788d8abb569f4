// The day-2 commands as CI runs them: the built CLI through pipes, one after the other on a stack that
// setup made in moto through the real Pulumi CLI and the test provider. Each step reads what the one before left.
import { DeleteAccessKeyCommand, ListAccessKeysCommand } from "@aws-sdk/client-iam";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { runPiped, useE2e } from "./harness.js";

const REGION = "us-east-1";
const e2e = useE2e();

async function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runPiped(args, e2e.env(), { timeoutMs: 60_000 });
}

test("setup, credentials, verify, rotate-key in two phases, list and teardown on one stack", async () => {
  await e2e.reset();
  const projectId = await e2e.createPinpointProject(REGION, "Marketing");
  const stack = ["--region", REGION, "--project-id", projectId];
  const userName = `census-pinpoint-${projectId.slice(0, 8)}`;
  const { iam, s3 } = e2e.aws(REGION);
  const keys = async () => (await iam.send(new ListAccessKeysCommand({ UserName: userName }))).AccessKeyMetadata?.map((key) => key.AccessKeyId).sort();

  const setup = await cli(["setup", "--no-input", "--yes", "--json", ...stack]);
  expect({ code: setup.code, stderr: setup.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  const first = JSON.parse(setup.stdout) as { accessKeyId: string; secretAccessKey: string };

  const env = await cli(["credentials", "--format", "env", ...stack]);
  expect(env.code).toBe(0);
  expect(env.stdout).toContain(`CENSUS_PINPOINT_ACCESS_KEY_ID=${first.accessKeyId}\n`);
  expect(env.stdout).not.toContain(first.secretAccessKey);

  const verify = await cli(["verify", "--json", ...stack]);
  expect({ code: verify.code, stderr: verify.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, projectId });

  const started = await cli(["rotate-key", "--no-input", "--json", ...stack]);
  expect({ code: started.code, stderr: started.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  const rotation = JSON.parse(started.stdout) as { accessKeyId: string; previousAccessKeyId: string; newKeyCreated: boolean };
  expect(rotation).toMatchObject({ previousAccessKeyId: first.accessKeyId, newKeyCreated: true });
  expect(await keys()).toEqual([first.accessKeyId, rotation.accessKeyId].sort());
  // Phase 1 again does not make a third key: IAM allows two, and Census holds one of them.
  const repeated = await cli(["rotate-key", "--no-input", "--json", ...stack]);
  expect(JSON.parse(repeated.stdout)).toMatchObject({ accessKeyId: rotation.accessKeyId, newKeyCreated: false });
  expect(await keys()).toHaveLength(2);

  const finished = await cli(["rotate-key", "--finish", "--yes", "--no-input", "--json", ...stack]);
  expect({ code: finished.code, stderr: finished.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  expect(JSON.parse(finished.stdout)).toMatchObject({ accessKeyId: rotation.accessKeyId, deletedAccessKeyId: first.accessKeyId });
  expect(await keys()).toEqual([rotation.accessKeyId]);

  const list = await cli(["list", "--json"]);
  expect(list.code).toBe(0);
  expect(JSON.parse(list.stdout)).toMatchObject({ stacks: [{ projectId, region: REGION, censusUserName: userName, keyAgeDays: 0 }] });

  const teardown = await cli(["teardown", "--yes", "--no-input", "--json", ...stack]);
  expect({ code: teardown.code, stderr: teardown.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  expect(JSON.parse(teardown.stdout)).toMatchObject({ status: "torn-down", stackRemoved: true, leftovers: [] });
  await expect(s3.send(new HeadBucketCommand({ Bucket: `census-pinpoint-staging-${projectId.slice(0, 8)}-123456789012-${REGION}` }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  const after = await cli(["list", "--json"]);
  expect(JSON.parse(after.stdout)).toEqual({ stacks: [] });
}, 180_000);

test("rotate-key never leaves Census without a key: a new key deleted out of band stops --finish; a stack torn down with --keep-state is not rotated", async () => {
  await e2e.reset();
  const projectId = await e2e.createPinpointProject(REGION, "Rotation");
  const stack = ["--region", REGION, "--project-id", projectId];
  const userName = `census-pinpoint-${projectId.slice(0, 8)}`;
  const { iam } = e2e.aws(REGION);
  const keys = async () => (await iam.send(new ListAccessKeysCommand({ UserName: userName }))).AccessKeyMetadata?.map((key) => key.AccessKeyId).sort();
  const setup = await cli(["setup", "--no-input", "--yes", "--json", "--skip-verify", ...stack]);
  const old = (JSON.parse(setup.stdout) as { accessKeyId: string }).accessKeyId;
  const started = JSON.parse((await cli(["rotate-key", "--no-input", "--json", ...stack])).stdout) as { accessKeyId: string };

  await iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: started.accessKeyId }));
  const refused = await cli(["rotate-key", "--finish", "--yes", "--no-input", ...stack]);
  expect(refused.code).toBe(5);
  expect(refused.stderr).toContain(`The new access key ${started.accessKeyId} of user ${userName} is not in IAM (it was deleted outside census-pinpoint)`);
  expect(await keys()).toEqual([old]);

  const again = await cli(["rotate-key", "--no-input", "--json", ...stack]);
  expect(again.code).toBe(0);
  const replacement = (JSON.parse(again.stdout) as { accessKeyId: string }).accessKeyId;
  const finished = await cli(["rotate-key", "--finish", "--yes", "--no-input", ...stack]);
  expect({ code: finished.code, stderr: finished.stderr }).toEqual({ code: 0, stderr: expect.stringContaining(`Old key ${old}: `) });
  expect(await keys()).toEqual([replacement]);

  expect((await cli(["teardown", "--keep-state", "--yes", "--no-input", ...stack])).code).toBe(0);
  const kept = await cli(["rotate-key", "--no-input", ...stack]);
  expect(kept.code).toBe(2);
  expect(kept.stderr).toContain(`Stack ${REGION}-${projectId}: resources deleted, state kept.`);
  expect(JSON.parse((await cli(["list", "--json"])).stdout)).toMatchObject({ stacks: [expect.objectContaining({ projectId, note: "resources deleted, state kept" })] });
  await expect(iam.send(new ListAccessKeysCommand({ UserName: userName }))).rejects.toMatchObject({ name: "NoSuchEntityException" });
}, 240_000);
