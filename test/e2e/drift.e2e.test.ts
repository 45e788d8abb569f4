// What was deleted or changed by hand in AWS, on the real engine: `setup` reads the live state first
// (a refresh) and puts it back, and every fix `verify` prints for a stack leads out: each test breaks
// something as a person would, runs verify, applies the fix it prints exactly, and runs verify again.
import {
  DeleteAccessKeyCommand,
  DeleteRoleCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  ListAccessKeysCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  UpdateAccessKeyCommand,
  UpdateAssumeRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { DeleteBucketCommand, DeleteBucketLifecycleCommand, GetBucketLifecycleConfigurationCommand } from "@aws-sdk/client-s3";
import { runPiped, useE2e } from "./harness.js";

const REGION = "ca-central-1";
const e2e = useE2e();
let projectId: string;
let stack: { bucket: string; role: string; user: string; group: string; accessKeyId: string };

interface Check {
  id: string;
  status: "passed" | "failed" | "skipped";
  label: string;
  fix?: string;
}

function cli(args: string[]) {
  return runPiped(args, e2e.env(), { timeoutMs: 60_000 });
}

async function verify(): Promise<{ code: number | null; failed: Check[] }> {
  const run = await cli(["verify", "--json", "--region", REGION, "--project-id", projectId]);
  const { checks } = JSON.parse(run.stdout) as { checks: Check[] };
  return { code: run.code, failed: checks.filter((check) => check.status === "failed") };
}

/** Runs a `census-pinpoint …` command a fix names, as a script would: without questions. */
async function apply(fix: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const command = /`census-pinpoint ([^`]+)`/.exec(fix)?.[1];
  if (!command) throw new Error(`no census-pinpoint command in the fix: ${fix}`);
  const args = command.split(" ");
  return cli([...args, ...(args[0] === "setup" ? ["--no-input", "--yes", "--skip-verify"] : ["--no-input"])]);
}

beforeEach(async () => {
  await e2e.reset();
  projectId = await e2e.createPinpointProject(REGION, "Drift");
  const setup = await cli(["setup", "--no-input", "--yes", "--skip-verify", "--json", "--region", REGION, "--project-id", projectId]);
  expect({ code: setup.code, stderr: setup.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  const values = JSON.parse(setup.stdout) as { stagingBucketName: string; importerRoleArn: string; censusUserName: string; accessKeyId: string };
  stack = {
    bucket: values.stagingBucketName,
    role: values.importerRoleArn.slice(values.importerRoleArn.lastIndexOf("/") + 1),
    user: values.censusUserName,
    group: `${values.censusUserName}-group`,
    accessKeyId: values.accessKeyId,
  };
});

test("settings deleted by hand (the lifecycle rule, the group's policy) are shown in setup's plan and put back", async () => {
  const { s3, iam } = e2e.aws(REGION);
  await s3.send(new DeleteBucketLifecycleCommand({ Bucket: stack.bucket }));
  const [attached] = (await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: stack.group }))).AttachedPolicies ?? [];
  await iam.send(new DetachGroupPolicyCommand({ GroupName: stack.group, PolicyArn: attached!.PolicyArn }));

  const repaired = await cli(["setup", "--no-input", "--yes", "--skip-verify", "--region", REGION, "--project-id", projectId]);
  expect({ code: repaired.code, stderr: repaired.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  expect(repaired.stderr).toContain(`+ create   lifecycle rule of bucket ${stack.bucket}`);
  expect(repaired.stderr).toContain(`+ create   policy attachment of group ${stack.group}`);
  expect((await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: stack.bucket }))).Rules?.[0]?.Expiration?.Days).toBe(7);
  expect((await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: stack.group }))).AttachedPolicies).toHaveLength(1);
}, 180_000);

test("the bucket deleted by hand: verify's fix (setup again) recreates it, and verify passes", async () => {
  await e2e.aws(REGION).s3.send(new DeleteBucketCommand({ Bucket: stack.bucket }));
  const broken = await verify();
  expect(broken.code).toBe(5);
  const bucketCheck = broken.failed.find((check) => check.id === "bucket-region")!;
  expect(bucketCheck.fix).toBe(`Run \`census-pinpoint setup --region ${REGION} --project-id ${projectId}\` again: it recreates the bucket (then check that Census has its name).`);

  expect((await apply(bucketCheck.fix!)).code).toBe(0);
  expect(await verify()).toEqual({ code: 0, failed: [] });
}, 180_000);

test("the importer role deleted by hand: verify's fix (setup again) recreates it, and verify passes", async () => {
  const { iam } = e2e.aws(REGION);
  for (const policy of (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: stack.role }))).AttachedPolicies ?? []) {
    await iam.send(new DetachRolePolicyCommand({ RoleName: stack.role, PolicyArn: policy.PolicyArn }));
  }
  await iam.send(new DeleteRoleCommand({ RoleName: stack.role }));
  const broken = await verify();
  expect(broken.code).toBe(5);
  const roleCheck = broken.failed.find((check) => check.id === "role-trust")!;
  expect(roleCheck.fix).toBe(`Run \`census-pinpoint setup --region ${REGION} --project-id ${projectId}\` again: it recreates the role (then check that Census has its ARN).`);

  expect((await apply(roleCheck.fix!)).code).toBe(0);
  expect(await verify()).toEqual({ code: 0, failed: [] });
}, 180_000);

test("the trust policy's conditions removed by hand: pasting the conditions verify prints makes it pass", async () => {
  const { iam } = e2e.aws(REGION);
  const open = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "pinpoint.amazonaws.com" }, Action: "sts:AssumeRole" }] };
  await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: stack.role, PolicyDocument: JSON.stringify(open) }));
  const broken = await verify();
  expect(broken.code).toBe(5);
  const conditions = broken.failed.find((check) => check.id === "role-conditions")!;

  const printed = JSON.parse(conditions.fix!.slice(conditions.fix!.indexOf("\n") + 1)) as { Condition: unknown };
  const fixed = { ...open, Statement: [{ ...open.Statement[0], Condition: printed.Condition }] };
  await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: stack.role, PolicyDocument: JSON.stringify(fixed) }));
  expect(await verify()).toEqual({ code: 0, failed: [] });
  await expect(iam.send(new GetRoleCommand({ RoleName: stack.role }))).resolves.toBeDefined();
}, 180_000);

test("the Census key deactivated by hand: verify's fix (rotate-key) gives Census a working key, and verify passes", async () => {
  const { iam } = e2e.aws(REGION);
  await iam.send(new UpdateAccessKeyCommand({ UserName: stack.user, AccessKeyId: stack.accessKeyId, Status: "Inactive" }));
  const broken = await verify();
  expect(broken.code).toBe(5);
  const keyCheck = broken.failed.find((check) => check.id === "key-active")!;
  expect(keyCheck.fix).toContain("`census-pinpoint rotate-key`");

  // The stack is the only one, so rotate-key finds it without --stack, as the fix says.
  const rotated = await apply(keyCheck.fix!);
  expect({ code: rotated.code, stderr: rotated.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  expect(rotated.stdout).toContain("Access Key ID");
  expect(await verify()).toEqual({ code: 0, failed: [] });
}, 180_000);

// moto accepts a deleted key (it answers STS with its default identity), so verify cannot see the
// deletion here; what it prints for one, `census-pinpoint rotate-key`, is asserted against AWS's
// answers in test/wizard/verify/keyChecks.test.ts. Here: that command leads out on the real engine.
test("the Census key deleted by hand: rotate-key (the fix verify prints for it) makes a new key the stack holds, and verify passes", async () => {
  const { iam } = e2e.aws(REGION);
  await iam.send(new DeleteAccessKeyCommand({ UserName: stack.user, AccessKeyId: stack.accessKeyId }));
  const rotated = await apply("Run `census-pinpoint rotate-key` to create a new key (the stack still records the deleted one), then paste it into Census.");
  expect({ code: rotated.code, stderr: rotated.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  const newKey = /Access Key ID\s+(\S+)/.exec(rotated.stdout)![1]!;
  expect(newKey).not.toBe(stack.accessKeyId);
  expect((await iam.send(new ListAccessKeysCommand({ UserName: stack.user }))).AccessKeyMetadata?.map((key) => key.AccessKeyId)).toContain(newKey);
  expect(await verify()).toEqual({ code: 0, failed: [] });
}, 180_000);
