// `status` on the real engine: one stack that setup made in moto, compared with AWS through a refresh
// preview, then changed by hand with the AWS SDK as a person would (a lifecycle rule deleted, a policy
// attached to the Census user, the bucket deleted), each named in words with exit 5; and `--all` with
// a second stack torn down with --keep-state. The tests run in order on the same stack.
import { AttachUserPolicyCommand, CreatePolicyCommand, DetachUserPolicyCommand } from "@aws-sdk/client-iam";
import { DeleteBucketCommand, DeleteBucketLifecycleCommand } from "@aws-sdk/client-s3";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runPiped, useE2e } from "./harness.js";

const REGION = "eu-west-2";
const e2e = useE2e();
let projectId: string;
let stackName: string;
let bucket: string;
let user: string;
let accessKeyId: string;

interface Finding {
  kind: string;
  problem: string;
  todo: string;
}

interface StackStatus {
  stackName: string;
  state: string;
  ok: boolean;
  note?: string;
  findings: Finding[];
}

function cli(args: string[]) {
  return runPiped(args, e2e.env(), { timeoutMs: 90_000 });
}

function status(...args: string[]) {
  return cli(["status", "--region", REGION, "--project-id", projectId, ...args]);
}

function setup(project: string) {
  return cli(["setup", "--no-input", "--yes", "--skip-verify", "--json", "--region", REGION, "--project-id", project]);
}

/** The stack's state file in the default file backend: status must leave it as it is. */
function stateFile(): string {
  return readFileSync(join(e2e.home, "state", ".pulumi", "stacks", "census-pinpoint", `${stackName}.json`), "utf8");
}

beforeAll(async () => {
  await e2e.reset();
  projectId = await e2e.createPinpointProject(REGION, "Status");
  const made = await setup(projectId);
  expect({ code: made.code, stderr: made.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  const values = JSON.parse(made.stdout) as { stackName: string; stagingBucketName: string; censusUserName: string; accessKeyId: string };
  ({ stackName, stagingBucketName: bucket, censusUserName: user, accessKeyId } = values);
}, 120_000);

test("a clean stack: exit 0, and --json is one document in the documented shape; looking changes nothing", async () => {
  const before = stateFile();
  const run = await status("--json");

  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  expect(JSON.parse(run.stdout)).toEqual({
    ok: true,
    stacks: [
      {
        stackName,
        region: REGION,
        projectId,
        state: "checked",
        ok: true,
        lastUpdate: { kind: "update", result: "succeeded", startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), endedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
        stagingBucketName: bucket,
        censusUserName: user,
        keys: [{ accessKeyId, heldAs: "current", active: true, createdAt: expect.stringMatching(/^\d{4}-/), ageDays: 0, lastUsed: null }],
        rotation: { phase: "idle", generation: 1 },
        pinpoint: { status: "found", name: "Status" },
        findings: [],
      },
    ],
  });
  expect(stateFile()).toBe(before);
}, 120_000);

test("a lifecycle rule deleted by hand: exit 5 naming it; the setup it names puts it back, and status is clean again", async () => {
  await e2e.aws(REGION).s3.send(new DeleteBucketLifecycleCommand({ Bucket: bucket }));

  const broken = await status();
  expect(broken.code).toBe(5);
  expect(broken.stdout).toContain(`✘ lifecycle rule of bucket ${bucket} is gone from AWS (deleted outside census-pinpoint since the last update).\n`);
  const setupLine = `census-pinpoint setup --region ${REGION} --project-id ${projectId}`;
  expect(broken.stdout).toContain(`    Run \`${setupLine}\`: it reads AWS first, then makes again what the stack holds.\n`);
  expect(broken.stdout).toContain("  AWS           1 difference from the last update (below)\n");
  expect(broken.stderr).toContain(`✖ ${"1 finding needs attention (stack <stack>).".replace("<stack>", stackName)}\n`);

  const fixed = await cli([...setupLine.split(" ").slice(1), "--no-input", "--yes", "--skip-verify"]);
  expect({ code: fixed.code, stderr: fixed.stderr }).toEqual({ code: 0, stderr: expect.stringContaining(`lifecycle rule of bucket ${bucket}`) });
  const clean = await status();
  expect({ code: clean.code, stdout: clean.stdout }).toEqual({ code: 0, stdout: expect.stringContaining("✔ All in order.\n") });
}, 180_000);

test("a policy attached by hand to the Census user: exit 5 naming it and the detach command, which makes status clean", async () => {
  const { iam } = e2e.aws(REGION);
  const document = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] });
  const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: "ExtraS3Access", PolicyDocument: document }));
  await iam.send(new AttachUserPolicyCommand({ UserName: user, PolicyArn: Policy!.Arn }));

  const broken = await status("--json");
  expect(broken.code).toBe(5);
  expect(broken.stderr).toContain(`✖ ${"1 finding needs attention (stack <stack>).".replace("<stack>", stackName)}\n`);
  const [report] = (JSON.parse(broken.stdout) as { stacks: StackStatus[] }).stacks;
  expect(report!.findings).toEqual([
    {
      kind: "extra-access",
      problem: `IAM user ${user} has the policy ExtraS3Access (${Policy!.Arn}) attached, which the stack did not attach, so Census's key may do whatever it grants (the stack gives the user its permissions through its group alone, Security Hub IAM.2).`,
      todo: `If nothing else needs it there, detach it (the policy itself stays): \`aws iam detach-user-policy --user-name ${user} --policy-arn ${Policy!.Arn}\``,
      access: { kind: "user-managed-policy", userName: user, policyArn: Policy!.Arn, policyName: "ExtraS3Access" },
    },
  ]);

  // The command as printed, run through the SDK (the AWS CLI is not part of the tests).
  const [, userName, policyArn] = /--user-name (\S+) --policy-arn ([^`\s]+)/.exec(report!.findings[0]!.todo)!;
  await iam.send(new DetachUserPolicyCommand({ UserName: userName, PolicyArn: policyArn }));
  expect((await status()).code).toBe(0);
}, 180_000);

test("--all: every stack in one document; one torn down with --keep-state is described as resources deleted, state kept", async () => {
  const other = await e2e.createPinpointProject(REGION, "Kept");
  expect((await setup(other)).code).toBe(0);
  const teardown = await cli(["teardown", "--keep-state", "--yes", "--no-input", "--region", REGION, "--project-id", other]);
  expect({ code: teardown.code, stderr: teardown.stderr }).toEqual({ code: 0, stderr: expect.any(String) });

  const run = await cli(["status", "--all", "--json"]);
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  const { ok, stacks } = JSON.parse(run.stdout) as { ok: boolean; stacks: StackStatus[] };
  expect(ok).toBe(true);
  expect(stacks.map((stack) => stack.stackName).sort()).toEqual([stackName, `${REGION}-${other}`].sort());
  expect(stacks.find((stack) => stack.stackName === stackName)).toMatchObject({ state: "checked", ok: true, findings: [] });
  expect(stacks.find((stack) => stack.stackName !== stackName)).toMatchObject({
    state: "resources-deleted",
    ok: true,
    note: expect.stringContaining("Stack <stack>: resources deleted, state kept.".replace("<stack>", `${REGION}-${other}`)),
    findings: [],
  });
}, 240_000);

test("the bucket deleted by hand: exit 5 naming it with what went with it, for the stack alone and with --all", async () => {
  await e2e.aws(REGION).s3.send(new DeleteBucketCommand({ Bucket: bucket }));

  const alone = await status();
  expect(alone.code).toBe(5);
  expect(alone.stdout).toContain(
    `✘ S3 bucket ${bucket} is gone from AWS (deleted outside census-pinpoint since the last update), and with it its TLS-only policy, default encryption, lifecycle rule, object ownership and public access block.\n`,
  );

  const all = await cli(["status", "--all", "--json"]);
  expect(all.code).toBe(5);
  expect(all.stderr).toContain(`✖ ${"1 finding needs attention (stack <stack>).".replace("<stack>", stackName)}\n`);
  const { ok, stacks } = JSON.parse(all.stdout) as { ok: boolean; stacks: StackStatus[] };
  expect(ok).toBe(false);
  expect(stacks.find((stack) => stack.stackName === stackName)!.findings).toEqual([
    expect.objectContaining({ kind: "gone", drift: expect.objectContaining({ type: "aws:s3/bucket:Bucket", id: bucket, change: "gone" }) }),
  ]);
  expect(stacks.find((stack) => stack.stackName !== stackName)).toMatchObject({ state: "resources-deleted", ok: true });
}, 180_000);
