// status's findings from what it read (pure): what differs in plain words, what to do, and the exit
// decision. The end-to-end proof on the real engine is test/e2e/status.e2e.test.ts.
import { EXIT } from "../../../wizard/errors.js";
import type { ExtraAccess } from "../../../wizard/aws/userAccess.js";
import type { Drift } from "../../../wizard/pulumi/drift.js";
import { keyStatuses } from "../../../wizard/status/checkStack.js";
import { findingsOf, statusFailure, type FixCommands, type StackFacts } from "../../../wizard/status/findings.js";
import type { KeyStatus, StackStatus } from "../../../wizard/status/report.js";

const STACK = "us-east-1-0123456789abcdef0123456789abcdef";
const BUCKET = "census-pinpoint-staging-01234567-123456789012-us-east-1";
const USER = "census-pinpoint-01234567";
const KEY = "AKIAIOSFODNN7EXAMPLE";
const OLD_KEY = "AKIAI44QH8DHBEXAMPLE";
const NOW = Date.parse("2026-12-01T12:00:00Z");
const COMMANDS: FixCommands = {
  setup: "census-pinpoint setup --region us-east-1 --project-id 0123456789abcdef0123456789abcdef",
  rotateKey: `census-pinpoint rotate-key --stack ${STACK}`,
  finishRotation: `census-pinpoint rotate-key --finish --stack ${STACK}`,
  teardown: `census-pinpoint teardown --stack ${STACK}`,
};

function currentKey(ageDays: number): KeyStatus {
  return { accessKeyId: KEY, heldAs: "current", active: true, createdAt: null, ageDays, lastUsed: null };
}

const CLEAN: StackFacts = {
  region: "us-east-1",
  projectId: "0123456789abcdef0123456789abcdef",
  censusUserName: USER,
  drift: [],
  extraAccess: [],
  keys: [currentKey(12)],
  rotation: { phase: "idle", generation: 1 },
  pinpoint: { status: "found", name: "Marketing" },
};

const findings = (facts: Partial<StackFacts>) => findingsOf({ ...CLEAN, ...facts }, COMMANDS);

test("a stack where everything is as the last update left it has no findings", () => {
  expect(findings({})).toEqual([]);
});

describe("drift", () => {
  const bucketGone: Drift = {
    change: "gone",
    type: "aws:s3/bucket:Bucket",
    name: "census-pinpoint-staging",
    description: `S3 bucket ${BUCKET}`,
    id: BUCKET,
    alsoGone: [`lifecycle rule of bucket ${BUCKET}`, `public access block of bucket ${BUCKET}`],
  };

  test("a bucket gone is named with its settings, and setup (which reads AWS first) is what to do", () => {
    expect(findings({ drift: [bucketGone] })).toEqual([
      {
        kind: "gone",
        problem: `S3 bucket ${BUCKET} is gone from AWS (deleted outside census-pinpoint since the last update), and with it its lifecycle rule and public access block.`,
        todo: `Run \`${COMMANDS.setup}\`: it reads AWS first, then makes again what the stack holds.`,
        drift: bucketGone,
      },
    ]);
  });

  test("the Census user or key gone: setup makes a new key, which Census needs", () => {
    const keyGone: Drift = { change: "gone", type: "aws:iam/accessKey:AccessKey", name: "census-pinpoint-census-key", description: `access key ${KEY} of user ${USER}`, id: KEY, alsoGone: [] };
    expect(findings({ drift: [keyGone] })[0]!.todo).toBe(`Run \`${COMMANDS.setup}\`: it reads AWS first, then makes again what the stack holds. It makes a new access key: paste it into Census.`);
  });

  test("the previous key of a pending rotation gone: finishing the rotation, not setup, which would make it again", () => {
    const previousGone: Drift = { change: "gone", type: "aws:iam/accessKey:AccessKey", name: "census-pinpoint-census-key", description: `access key ${OLD_KEY} of user ${USER}`, id: OLD_KEY, alsoGone: [] };
    const [gone] = findings({ drift: [previousGone], rotation: { phase: "pending", generation: 2, previousAccessKeyId: OLD_KEY } });
    expect(gone!.todo).toBe(`It was the previous key of a rotation: \`${COMMANDS.finishRotation}\` completes the rotation without it.`);
  });

  test("a setting changed in AWS names what changed, and setup puts it back", () => {
    const changed: Drift = {
      change: "changed",
      type: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      name: "census-pinpoint-staging-lifecycle",
      description: `lifecycle rule of bucket ${BUCKET}`,
      id: BUCKET,
      properties: [{ path: "rules[0].expiration.days", before: 7, after: 30 }],
    };
    const [finding] = findings({ drift: [changed] });
    expect(finding).toMatchObject({ kind: "changed", problem: `lifecycle rule of bucket ${BUCKET} was changed in AWS since the last update (rules[0].expiration.days).` });
    expect(finding!.todo).toContain(`Run \`${COMMANDS.setup}\`: it reads AWS first and puts back what the stack holds.`);
  });
});

describe("access the stack did not give", () => {
  const cases: Array<[string, ExtraAccess, string]> = [
    [
      "a managed policy attached to the user",
      { kind: "user-managed-policy", userName: USER, policyArn: "arn:aws:iam::123456789012:policy/Extra", policyName: "Extra" },
      `aws iam detach-user-policy --user-name ${USER} --policy-arn arn:aws:iam::123456789012:policy/Extra`,
    ],
    ["an inline policy of the user", { kind: "user-inline-policy", userName: USER, policyName: "inline" }, `aws iam get-user-policy --user-name ${USER} --policy-name inline`],
    ["another group of the user", { kind: "user-group", userName: USER, groupName: "admins" }, `aws iam remove-user-from-group --user-name ${USER} --group-name admins`],
    [
      "another managed policy attached to the stack's group",
      { kind: "group-managed-policy", groupName: `${USER}-group`, policyArn: "arn:aws:iam::aws:policy/AdministratorAccess", policyName: "AdministratorAccess" },
      `aws iam detach-group-policy --group-name ${USER}-group --policy-arn arn:aws:iam::aws:policy/AdministratorAccess`,
    ],
    ["an inline policy of the stack's group", { kind: "group-inline-policy", groupName: `${USER}-group`, policyName: "inline" }, `aws iam get-group-policy --group-name ${USER}-group --policy-name inline`],
  ];

  test.each(cases)("%s: named, with a command that takes it off and deletes nothing", (_label, access, command) => {
    const [finding] = findings({ extraAccess: [access] });
    expect(finding).toMatchObject({ kind: "extra-access", access });
    expect(finding!.problem).toMatch(/which the stack did not (attach|add|put it in)/);
    expect(finding!.todo).toContain(`\`${command}\``);
    expect(finding!.todo).not.toMatch(/\bdelete-|\bdelete it\b/);
  });

  test("a policy attached to the user names it, its ARN and Security Hub's rule", () => {
    const [finding] = findings({ extraAccess: [cases[0]![1]] });
    expect(finding!.problem).toBe(
      `IAM user ${USER} has the policy Extra (arn:aws:iam::123456789012:policy/Extra) attached, which the stack did not attach, so Census's key may do whatever it grants (the stack gives the user its permissions through its group alone, Security Hub IAM.2).`,
    );
  });
});

describe("keys", () => {
  test("Census's key at 90 days is a finding that names rotate-key; at 89 it is not", () => {
    expect(findings({ keys: [currentKey(89)] })).toEqual([]);
    expect(findings({ keys: [currentKey(90)] })).toEqual([
      {
        kind: "key-age",
        problem: "Census's access key <key> is 90 days old; Security Hub control IAM.3 expects keys rotated within 90 days.".replace("<key>", KEY),
        todo: `Rotate it without downtime: \`${COMMANDS.rotateKey}\``,
        accessKeyId: KEY,
      },
    ]);
  });

  test("a key the stack did not make is named with its last use, and deactivated rather than deleted", () => {
    const extra: KeyStatus = { accessKeyId: OLD_KEY, heldAs: "not-in-stack", active: true, createdAt: null, ageDays: 400, lastUsed: { at: "2026-11-30T08:00:00.000Z" } };
    expect(findings({ keys: [currentKey(1), extra] })).toEqual([
      {
        kind: "extra-key",
        problem: `IAM user ${USER} has an access key ${OLD_KEY} (active, last used 2026-11-30 08:00 UTC) that the stack did not make.`,
        todo: `Find out who holds it; if nobody should, deactivate it (it can be activated again): \`aws iam update-access-key --user-name ${USER} --access-key-id ${OLD_KEY} --status Inactive\``,
        accessKeyId: OLD_KEY,
      },
    ]);
  });

  test("a pending rotation names rotate-key --finish and when the previous key was last used", () => {
    const previous: KeyStatus = { accessKeyId: OLD_KEY, heldAs: "previous", active: true, createdAt: null, ageDays: 120, lastUsed: null };
    expect(findings({ keys: [currentKey(0), previous], rotation: { phase: "pending", generation: 2, previousAccessKeyId: OLD_KEY } })).toEqual([
      {
        kind: "rotation",
        problem: "A key rotation is pending: the new key and the previous key <key> (never used) both work.".replace("<key>", OLD_KEY),
        todo: `Once Census uses the new key and its connection test passed, delete the previous one: \`${COMMANDS.finishRotation}\``,
      },
    ]);
  });

  test("a rotate-key run that stopped half-way names the command that completes it", () => {
    expect(findings({ rotation: { phase: "starting", generation: 2 } })[0]!.todo).toBe(`Run \`${COMMANDS.rotateKey}\` to complete it.`);
    expect(findings({ rotation: { phase: "finishing", generation: 2, previousAccessKeyId: OLD_KEY } })[0]).toEqual({
      kind: "rotation",
      problem: `rotate-key --finish stopped before the previous key ${OLD_KEY} was deleted.`,
      todo: `Run \`${COMMANDS.finishRotation}\` to complete it.`,
    });
  });

  test("keys as IAM lists them: Census's first, with age and IAM's last use", () => {
    const records = [
      { id: "AKIAOTHER0000EXAMPLE", active: false, createdAt: new Date("2026-01-01T00:00:00Z") },
      { id: OLD_KEY, active: true, createdAt: new Date("2026-08-01T00:00:00Z") },
      { id: KEY, active: true, createdAt: new Date("2026-11-30T00:00:00Z") },
    ];
    const uses = [{}, { at: new Date("2026-11-29T10:00:00Z"), service: "s3", region: "us-east-1" }, {}];
    expect(keyStatuses(records, uses, { current: KEY, previous: OLD_KEY }, NOW)).toEqual([
      { accessKeyId: KEY, heldAs: "current", active: true, createdAt: "2026-11-30T00:00:00.000Z", ageDays: 1, lastUsed: null },
      { accessKeyId: OLD_KEY, heldAs: "previous", active: true, createdAt: "2026-08-01T00:00:00.000Z", ageDays: 122, lastUsed: { at: "2026-11-29T10:00:00.000Z", service: "s3", region: "us-east-1" } },
      { accessKeyId: "AKIAOTHER0000EXAMPLE", heldAs: "not-in-stack", active: false, createdAt: "2026-01-01T00:00:00.000Z", ageDays: 334, lastUsed: null },
    ]);
  });
});

describe("the Pinpoint project", () => {
  test("gone: Census cannot import into it", () => {
    expect(findings({ pinpoint: { status: "not-found" } })[0]).toMatchObject({
      kind: "pinpoint",
      problem: "There is no Pinpoint project 0123456789abcdef0123456789abcdef in us-east-1 any more: Census cannot import segments into it.",
    });
  });

  test("not answering: the reason is passed on", () => {
    const [finding] = findings({ pinpoint: { status: "unavailable", cause: "access-denied", reason: "access denied: arn:aws:iam::123456789012:user/ann may not perform mobiletargeting:GetApp (denied)" } });
    expect(finding!.problem).toBe(
      "Amazon Pinpoint did not answer for project 0123456789abcdef0123456789abcdef in us-east-1: access denied: arn:aws:iam::123456789012:user/ann may not perform mobiletargeting:GetApp (denied).",
    );
  });
});

describe("the exit decision", () => {
  const stack = (name: string, count: number): StackStatus => ({
    stackName: name,
    region: "us-east-1",
    projectId: name.slice("us-east-1-".length),
    state: "checked",
    ok: count === 0,
    lastUpdate: null,
    stagingBucketName: BUCKET,
    censusUserName: USER,
    keys: [],
    rotation: { phase: "idle", generation: 1 },
    pinpoint: { status: "found", name: "" },
    findings: Array.from({ length: count }, () => ({ kind: "key-age" as const, problem: "old", todo: "rotate" })),
  });

  test("no finding in any stack: exit 0", () => {
    expect(statusFailure({ ok: true, stacks: [stack(STACK, 0)] }, { json: false })).toBeUndefined();
    expect(statusFailure({ ok: true, stacks: [] }, { json: true })).toBeUndefined();
  });

  test("a finding: exit 5, counting them and naming the stacks that have them", () => {
    const one = statusFailure({ ok: false, stacks: [stack(STACK, 1)] }, { json: false })!;
    expect(one.exitCode).toBe(EXIT.verification);
    expect(one.message).toBe("1 finding needs attention (stack <stack>).".replace("<stack>", STACK));
    expect(one.hint).toBe("Under each ✘ is what to do; then run census-pinpoint status again.");
    const other = "eu-west-1-fedcba9876543210fedcba9876543210";
    const many = statusFailure({ ok: false, stacks: [stack(STACK, 2), stack("us-east-1-clean", 0), stack(other, 1)] }, { json: true })!;
    expect(many.message).toBe(`3 findings need attention (stacks ${STACK}, ${other}).`);
    expect(many.hint).toBe("Each finding's `todo` says what to do; then run census-pinpoint status again.");
  });
});
