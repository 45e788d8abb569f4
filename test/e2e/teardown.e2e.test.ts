// `census-pinpoint teardown` as a user runs it: the built CLI in a pseudo-terminal, against moto,
// through the real Pulumi CLI and the test provider. The typed confirmation is the only thing between a user and
// deleting Census's access: the wrong text must delete nothing, the project ID everything.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { HeadBucketCommand, ListBucketsCommand } from "@aws-sdk/client-s3";
import { GetRoleCommand, GetUserCommand, ListPoliciesCommand, ListRolesCommand, ListUsersCommand } from "@aws-sdk/client-iam";
import { runInPty, runPiped, useE2e } from "./harness.js";

const REGION = "us-east-1";
const ACCOUNT = "123456789012";

const e2e = useE2e();
let projectId: string;

beforeEach(async () => {
  await e2e.reset();
  projectId = await e2e.createPinpointProject(REGION, "Marketing");
  const setup = await runPiped(["setup", "--no-input", "--yes", "--skip-verify", "--region", REGION, "--project-id", projectId], e2e.env(), { timeoutMs: 45_000 });
  expect({ code: setup.code, stderr: setup.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
});

const stack = () => `${REGION}-${projectId}`;
const workDir = () => join(e2e.home, "workspaces", stack());

function teardownInPty() {
  return runInPty(["teardown", "--region", REGION, "--project-id", projectId], e2e.env());
}

test("typing something other than the project ID deletes nothing and exits 2", async () => {
  const session = teardownInPty();
  await session.waitFor(`Teardown deletes these`, 30_000);
  await session.waitFor(`Type the project ID ${projectId} to confirm`, 30_000);
  session.type(projectId.slice(0, 8));
  session.key("enter");

  expect(await session.exit()).toBe(2);
  expect(session.screen).toContain(`What was typed is not the project ID ${projectId}: nothing was deleted.`);
  const { s3, iam } = e2e.aws(REGION);
  await expect(s3.send(new HeadBucketCommand({ Bucket: `census-pinpoint-staging-${projectId.slice(0, 8)}-${ACCOUNT}-${REGION}` }))).resolves.toBeDefined();
  await expect(iam.send(new GetRoleCommand({ RoleName: `CensusPinpointSegmentImporter-${projectId.slice(0, 8)}` }))).resolves.toBeDefined();
  await expect(iam.send(new GetUserCommand({ UserName: `census-pinpoint-${projectId.slice(0, 8)}` }))).resolves.toBeDefined();
  expect(existsSync(workDir())).toBe(true);
  const credentials = await runPiped(["credentials", "--stack", stack(), "--json"], e2e.env());
  expect(credentials.code).toBe(0);
}, 90_000);

test("typing the project ID deletes everything, removes the stack, and the check finds nothing left", async () => {
  const session = teardownInPty();
  await session.waitFor(`Type the project ID ${projectId} to confirm`, 30_000);
  session.type(projectId);
  session.key("enter");

  expect(await session.exit(60_000)).toBe(0);
  expect(session.screen).toContain("Checked in AWS after the teardown:");
  expect(session.screen).not.toMatch(/✘|not checked/);
  expect(session.screen).toContain(`Stack ${stack()} is torn down`);
  const { s3, iam } = e2e.aws(REGION);
  expect((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
  expect((await iam.send(new ListUsersCommand({}))).Users ?? []).toEqual([]);
  expect((await iam.send(new ListRolesCommand({}))).Roles ?? []).toEqual([]);
  expect((await iam.send(new ListPoliciesCommand({ Scope: "Local" }))).Policies ?? []).toEqual([]);
  expect(existsSync(workDir())).toBe(false);

  const again = await runPiped(["teardown", "--stack", stack(), "--yes", "--no-input"], e2e.env());
  expect(again.code).toBe(0);
  expect(again.stderr).toContain("Nothing to tear down");
}, 120_000);
