// teardown's check that nothing is left: what the component creates, built in moto with the same
// names and attachments (managed policies on the role and on the group, the user in the group, an
// access key, a bucket with a file in it), then looked up as after a failed or partial teardown, by
// what the stack's state recorded.
import { spawnSync } from "node:child_process";
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
} from "@aws-sdk/client-iam";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { censusGroupName, censusPolicyName, importerPolicyName } from "../../infra/names.js";
import { findLeftovers, type LeftoverCheck, type RecordedResources } from "../../wizard/aws/leftovers.js";
import type { AwsTarget } from "../../wizard/aws/target.js";
import { DUMMY_CREDENTIALS, MOTO_ACCOUNT_ID, useMoto, writeAwsProfiles } from "../helpers/moto.js";

const REGION = "eu-west-1";
const admin: AwsTarget = { region: REGION, credentials: DUMMY_CREDENTIALS, env: process.env };
const BUCKET = `census-pinpoint-staging-${MOTO_ACCOUNT_ID}-${REGION}`;
const USER = "census-pinpoint-01234567";
const GROUP = censusGroupName(USER);
const ROLE = "CensusPinpointSegmentImporter-01234567";
const CENSUS_POLICY = `arn:aws:iam::${MOTO_ACCOUNT_ID}:policy/${censusPolicyName(USER)}`;
const IMPORTER_POLICY = `arn:aws:iam::${MOTO_ACCOUNT_ID}:policy/${importerPolicyName(ROLE)}`;
const RESOURCES: RecordedResources = { buckets: [BUCKET], users: [USER], groups: [GROUP], roles: [ROLE], policyArns: [CENSUS_POLICY, IMPORTER_POLICY] };
const DOCUMENT = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] });

const moto = useMoto();

function iam(): IAMClient {
  return new IAMClient(admin);
}

async function createBucketWithAFile(): Promise<void> {
  const s3 = new S3Client({ ...admin, forcePathStyle: true });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: REGION } }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "segments/staged.csv", Body: "id\n1\n" }));
  } finally {
    s3.destroy();
  }
}

/** The component's IAM side; the census policy has a second version, as an update of it leaves. */
async function createIdentities(): Promise<{ accessKeyId: string }> {
  const client = iam();
  try {
    await client.send(new CreateRoleCommand({ RoleName: ROLE, AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [] }) }));
    await client.send(new CreatePolicyCommand({ PolicyName: importerPolicyName(ROLE), PolicyDocument: DOCUMENT }));
    await client.send(new AttachRolePolicyCommand({ RoleName: ROLE, PolicyArn: IMPORTER_POLICY }));
    await client.send(new CreateUserCommand({ UserName: USER }));
    const { AccessKey } = await client.send(new CreateAccessKeyCommand({ UserName: USER }));
    await client.send(new CreateGroupCommand({ GroupName: GROUP }));
    await client.send(new CreatePolicyCommand({ PolicyName: censusPolicyName(USER), PolicyDocument: DOCUMENT }));
    await client.send(new CreatePolicyVersionCommand({ PolicyArn: CENSUS_POLICY, PolicyDocument: DOCUMENT, SetAsDefault: true }));
    await client.send(new AttachGroupPolicyCommand({ GroupName: GROUP, PolicyArn: CENSUS_POLICY }));
    await client.send(new AddUserToGroupCommand({ GroupName: GROUP, UserName: USER }));
    return { accessKeyId: AccessKey!.AccessKeyId! };
  } finally {
    client.destroy();
  }
}

const byName = (checks: LeftoverCheck[]) => Object.fromEntries(checks.map((check) => [check.name, check]));

test("when everything is gone, every resource is checked and reported gone", async () => {
  const checks = await findLeftovers(admin, RESOURCES);

  expect(checks.map(({ kind, name, status }) => [kind, name, status])).toEqual([
    ["S3 bucket", BUCKET, "gone"],
    ["IAM user", USER, "gone"],
    ["IAM group", GROUP, "gone"],
    ["IAM role", ROLE, "gone"],
    ["IAM policy", CENSUS_POLICY, "gone"],
    ["IAM policy", IMPORTER_POLICY, "gone"],
  ]);
  expect(checks.every((check) => check.commands === undefined)).toBe(true);
});

test("everything left: each resource with the commands that remove it, detaching and emptying first", async () => {
  await createBucketWithAFile();
  const { accessKeyId } = await createIdentities();

  const checks = byName(await findLeftovers(admin, RESOURCES));

  expect(Object.values(checks).every((check) => check.status === "left")).toBe(true);
  expect(checks[BUCKET]!.commands).toEqual([`aws s3 rb s3://${BUCKET} --force --region ${REGION}`]);
  expect(checks[USER]!.commands).toEqual([
    `aws iam delete-access-key --user-name ${USER} --access-key-id ${accessKeyId}`,
    `aws iam remove-user-from-group --user-name ${USER} --group-name ${GROUP}`,
    `aws iam delete-user --user-name ${USER}`,
  ]);
  // The user's own commands take it out of the group, so the group's do not repeat that.
  expect(checks[GROUP]!.commands).toEqual([`aws iam detach-group-policy --group-name ${GROUP} --policy-arn ${CENSUS_POLICY}`, `aws iam delete-group --group-name ${GROUP}`]);
  expect(checks[CENSUS_POLICY]!.commands).toEqual([
    `aws iam delete-policy-version --policy-arn ${CENSUS_POLICY} --version-id v1`,
    `aws iam delete-policy --policy-arn ${CENSUS_POLICY}`,
  ]);
  expect(checks[ROLE]!.commands).toEqual([`aws iam detach-role-policy --role-name ${ROLE} --policy-arn ${IMPORTER_POLICY}`, `aws iam delete-role --role-name ${ROLE}`]);
  expect(checks[IMPORTER_POLICY]!.commands).toEqual([`aws iam delete-policy --policy-arn ${IMPORTER_POLICY}`]);
});

test("a policy left attached to something the stack did not create is detached from it first", async () => {
  const client = iam();
  try {
    await client.send(new CreatePolicyCommand({ PolicyName: importerPolicyName(ROLE), PolicyDocument: DOCUMENT }));
    await client.send(new CreateUserCommand({ UserName: "someone-else" }));
    await client.send(new AttachUserPolicyCommand({ UserName: "someone-else", PolicyArn: IMPORTER_POLICY }));
  } finally {
    client.destroy();
  }

  const checks = byName(await findLeftovers(admin, RESOURCES));

  expect(checks[ROLE]!.status).toBe("gone");
  expect(checks[IMPORTER_POLICY]).toEqual({
    kind: "IAM policy",
    name: IMPORTER_POLICY,
    status: "left",
    commands: [`aws iam detach-user-policy --user-name someone-else --policy-arn ${IMPORTER_POLICY}`, `aws iam delete-policy --policy-arn ${IMPORTER_POLICY}`],
  });
});

test("with a named profile, every command runs with it", async () => {
  await createBucketWithAFile();
  const credentialsFile = `${moto.aws.dir}/credentials-with-admin`;
  writeAwsProfiles(credentialsFile, { admin: DUMMY_CREDENTIALS });
  process.env.AWS_SHARED_CREDENTIALS_FILE = credentialsFile;
  try {
    const checks = byName(await findLeftovers({ region: REGION, profile: "admin", env: process.env }, RESOURCES));

    expect(checks[BUCKET]!.commands).toEqual([`aws s3 rb s3://${BUCKET} --force --region ${REGION} --profile admin`]);
  } finally {
    process.env.AWS_SHARED_CREDENTIALS_FILE = moto.aws.credentialsFile;
  }
});

test("lookups AWS refuses are reported unchecked with the reason, never as gone", async () => {
  await createBucketWithAFile();
  const client = iam();
  const { AccessKey } = await (async () => {
    try {
      await client.send(new CreateUserCommand({ UserName: "no-permissions" }));
      return await client.send(new CreateAccessKeyCommand({ UserName: "no-permissions" }));
    } finally {
      client.destroy();
    }
  })();
  await moto.enforceIam(true);
  const powerless: AwsTarget = { region: REGION, credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }, env: process.env };

  const checks = await findLeftovers(powerless, RESOURCES);

  expect(checks.map((check) => check.status)).toEqual(Array(6).fill("unchecked"));
  const reasons = byName(checks);
  expect(reasons[BUCKET]!.reason).toContain("S3 refused to say whether bucket");
  expect(reasons[USER]!.reason).toContain("iam:GetUser");
  expect(reasons[ROLE]!.reason).toContain("iam:GetRole");
  expect(reasons[CENSUS_POLICY]!.reason).toContain("iam:GetPolicy");
});

// The AWS CLI is not required to run the suite; where it is installed, the report is proven by
// running it: the commands, in the order listed, must remove everything.
const awsCli = spawnSync("aws", ["--version"], { encoding: "utf8" }).status === 0;
(awsCli ? test : test.skip)(`running the listed commands in order with the AWS CLI leaves nothing behind${awsCli ? "" : " (skipped: no aws CLI on PATH)"}`, async () => {
  await createBucketWithAFile();
  await createIdentities();
  const commands = (await findLeftovers(admin, RESOURCES)).flatMap((check) => check.commands ?? []);

  for (const command of commands) {
    const [program, ...args] = command.split(" ");
    const run = spawnSync(program!, args, {
      encoding: "utf8",
      env: { ...process.env, AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey, AWS_DEFAULT_REGION: REGION },
    });
    expect({ command, status: run.status, stderr: run.stderr }).toEqual({ command, status: 0, stderr: expect.any(String) });
  }
  expect((await findLeftovers(admin, RESOURCES)).map((check) => check.status)).toEqual(Array(6).fill("gone"));
}, 120_000);
