// `census-pinpoint retire` against moto_server holding a setup made by hand as Census's guide says
// (test/helpers/guideSetup.ts): the key Census holds belongs to a person's user, the importer role
// trusts Amazon Pinpoint and holds AmazonS3ReadOnlyAccess. What goes is only what was named; the
// person keeps their user, password, own key and policies. No stack of this tool exists here, so the
// runs pass --yes (the command suite covers the prompts and a stack's re-audit).
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetInstanceProfileCommand,
  GetLoginProfileCommand,
  GetPolicyCommand,
  GetRoleCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
  PutRolePolicyCommand,
  TagUserCommand,
  CreateAccessKeyCommand,
} from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { join } from "node:path";
import { EXIT } from "../../wizard/errors.js";
import { lastErrorLine, runCli } from "../helpers/cliIo.js";
import { FakePulumi } from "../helpers/fakePulumi.js";
import { buildGuideSetupAsOwner, GUIDE_MOTO_ENV, PERSON_INLINE_POLICY_NAME, S3_FULL_ACCESS_ARN, S3_READ_ONLY_ARN, type GuideSetup } from "../helpers/guideSetup.js";
import { DUMMY_CREDENTIALS, MOTO_ACCOUNT_ID, useCredentialsFile, useMoto } from "../helpers/moto.js";
import { TEST_PROJECT_ID } from "../helpers/pulumiMocks.js";

const REGION = "us-east-1";
const BY_PROJECT = ["retire", "--region", REGION, "--project-id", TEST_PROJECT_ID];
const moto = useMoto({ env: GUIDE_MOTO_ENV });
const admin = { region: REGION, credentials: DUMMY_CREDENTIALS };
let guide: GuideSetup;

beforeAll(() => {
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey });
});

beforeEach(async () => {
  guide = await buildGuideSetupAsOwner({ bucketName: "census-pinpoint-staging-by-hand", region: REGION });
});

async function iam<T>(run: (client: IAMClient) => Promise<T>): Promise<T> {
  const client = new IAMClient(admin);
  try {
    return await run(client);
  } finally {
    client.destroy();
  }
}

async function gone(run: (client: IAMClient) => Promise<unknown>): Promise<boolean> {
  return iam(run).then(
    () => false,
    (error: { name?: string }) => {
      if (error.name === "NoSuchEntityException") return true;
      throw error;
    },
  );
}

async function retire(argv: string[]) {
  const result = runCli([...BY_PROJECT, ...argv], { home: join(moto.aws.dir, "home"), fake: new FakePulumi() });
  const code = await result.code;
  return { code, stdout: result.stdout(), stderr: result.stderr() };
}

const profiles = (entries: Record<string, { accessKeyId: string; secretAccessKey: string }>) => useCredentialsFile(moto.aws, entries);

afterEach(() => {
  process.env.AWS_SHARED_CREDENTIALS_FILE = moto.aws.credentialsFile;
});

const keysOf = (userName: string) => iam(async (client) => (await client.send(new ListAccessKeysCommand({ UserName: userName }))).AccessKeyMetadata!.map((key) => key.AccessKeyId));
const roleAttachments = (roleName: string) =>
  iam(async (client) => (await client.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }))).AttachedPolicies!.map((policy) => policy.PolicyArn));

/** What the guide's role grows in the field: an inline policy, a customer managed policy, an instance profile. */
async function roleWithMore(): Promise<string> {
  const document = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::${guide.bucketName}/*` }] });
  return iam(async (client) => {
    await client.send(new PutRolePolicyCommand({ RoleName: guide.roleName, PolicyName: "read-staging", PolicyDocument: document }));
    const { Policy } = await client.send(new CreatePolicyCommand({ PolicyName: "census-staging-read", PolicyDocument: document }));
    await client.send(new AttachRolePolicyCommand({ RoleName: guide.roleName, PolicyArn: Policy!.Arn! }));
    await client.send(new CreateInstanceProfileCommand({ InstanceProfileName: "importer-profile" }));
    await client.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "importer-profile", RoleName: guide.roleName }));
    return Policy!.Arn!;
  });
}

test("a person's user keeps everything but the Census key; the role goes with its attachments and inline policies", async () => {
  const customerPolicy = await roleWithMore();
  const result = await retire(["--access-key-id", guide.censusKey.accessKeyId, "--role-arn", guide.roleArn, "--yes", "--no-input"]);

  expect(result.code).toBe(EXIT.ok);
  const key = guide.censusKey.accessKeyId;
  expect(result.stderr).toContain("retire removes these 2 legacy pieces:");
  expect(result.stderr).toContain(`  - access key ${key} of IAM user dana.admin (never used)`);
  expect(result.stderr).toContain(
    `  - IAM role ${guide.roleName} with its inline policy (read-staging); AmazonS3ReadOnlyAccess, census-staging-read detached; removed from instance profile importer-profile`,
  );
  expect(result.stderr).toContain(`⚠ No census-pinpoint stack us-east-1-${TEST_PROJECT_ID}: retiring before \`census-pinpoint adopt\` leaves Census without a working setup.`);
  expect(result.stdout).toContain(`✔ access key ${key} of IAM user dana.admin (never used): removed`);
  expect(result.stdout).toContain(`– IAM user dana.admin: only the key Census held goes; its other access key (${guide.personalKey.accessKeyId}), any password, its groups and its policies stay: kept`);
  expect(result.stdout).toContain("– customer managed policy census-staging-read: detached from IAM role CensusPinpointImporter, not deleted: kept");

  // The person: their own key, password, inline policy and directly attached policy.
  expect(await keysOf(guide.userName)).toEqual([guide.personalKey.accessKeyId]);
  expect(await gone((client) => client.send(new GetLoginProfileCommand({ UserName: guide.userName })))).toBe(false);
  expect((await iam((client) => client.send(new ListUserPoliciesCommand({ UserName: guide.userName })))).PolicyNames).toEqual([PERSON_INLINE_POLICY_NAME]);
  expect((await iam((client) => client.send(new ListAttachedUserPoliciesCommand({ UserName: guide.userName })))).AttachedPolicies!.map((p) => p.PolicyArn)).toEqual([
    S3_FULL_ACCESS_ARN,
  ]);
  // The role is gone; the customer managed policy and the instance profile stay, without the role.
  expect(await gone((client) => client.send(new GetRoleCommand({ RoleName: guide.roleName })))).toBe(true);
  expect(await gone((client) => client.send(new GetPolicyCommand({ PolicyArn: customerPolicy })))).toBe(false);
  const { InstanceProfile } = await iam((client) => client.send(new GetInstanceProfileCommand({ InstanceProfileName: "importer-profile" })));
  expect(InstanceProfile!.Roles).toEqual([]);
});

test("--keep-role only detaches AmazonS3ReadOnlyAccess: the role keeps its trust, inline and customer managed policies", async () => {
  const customerPolicy = await roleWithMore();
  const result = await retire(["--role-arn", guide.roleArn, "--keep-role", "--yes", "--no-input"]);

  expect(result.code).toBe(EXIT.ok);
  expect(result.stdout).toContain(`✔ AmazonS3ReadOnlyAccess detached from IAM role ${guide.roleName} (the role stays: --keep-role): removed`);
  expect(result.stdout).toContain(`– IAM role ${guide.roleName} (--keep-role), with its trust policy and inline policy read-staging, census-staging-read: kept`);
  expect(await roleAttachments(guide.roleName)).toEqual([customerPolicy]);
  expect((await iam((client) => client.send(new ListRolePoliciesCommand({ RoleName: guide.roleName })))).PolicyNames).toEqual(["read-staging"]);
  expect(await keysOf(guide.userName)).toEqual([guide.personalKey.accessKeyId, guide.censusKey.accessKeyId]);
});

test("a re-run says already gone, exit 0", async () => {
  const argv = ["--access-key-id", guide.censusKey.accessKeyId, "--role-arn", guide.roleArn, "--yes", "--no-input"];
  expect((await retire(argv)).code).toBe(EXIT.ok);
  const again = await retire([...argv, "--json"]);

  expect(again.code).toBe(EXIT.ok);
  expect(again.stderr).toContain("Nothing left to retire.");
  expect(again.stderr).not.toContain("without a working setup");
  expect(JSON.parse(again.stdout)).toEqual({
    removed: [],
    alreadyGone: [
      { kind: "access-key", id: guide.censusKey.accessKeyId, description: `access key ${guide.censusKey.accessKeyId} (IAM has no such key in account ${MOTO_ACCOUNT_ID})` },
      { kind: "iam-role", id: guide.roleArn, description: `IAM role ${guide.roleName} (IAM has no such role)` },
    ],
    kept: [],
  });
});

test("--no-input without --yes exits 2 and deletes nothing", async () => {
  const result = await retire(["--access-key-id", guide.censusKey.accessKeyId, "--role-arn", guide.roleArn, "--no-input"]);

  expect(result.code).toBe(EXIT.usage);
  expect(lastErrorLine(result.stderr)).toBe("retire deletes IAM resources, and without a terminal nothing can be confirmed: pass --yes to go ahead.");
  expect(result.stderr).toContain(
    `In CI: census-pinpoint retire --no-input --yes --region us-east-1 --project-id ${TEST_PROJECT_ID} --role-arn ${guide.roleArn} --access-key-id ${guide.censusKey.accessKeyId}`,
  );
  expect(await keysOf(guide.userName)).toContain(guide.censusKey.accessKeyId);
  expect(await roleAttachments(guide.roleName)).toEqual([S3_READ_ONLY_ARN]);
});

describe("refused, nothing deleted, exit 2", () => {
  test("a role tagged managed-by=census-pinpoint is the stack's", async () => {
    const roleName = "CensusPinpointSegmentImporter-01234567";
    const { Role } = await iam((client) =>
      client.send(
        new CreateRoleCommand({
          RoleName: roleName,
          AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "pinpoint.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
          Tags: [
            { Key: "managed-by", Value: "census-pinpoint" },
            { Key: "pinpoint-project", Value: TEST_PROJECT_ID },
          ],
        }),
      ),
    );
    const result = await retire(["--access-key-id", guide.censusKey.accessKeyId, "--role-arn", Role!.Arn!, "--yes", "--no-input"]);

    expect(result.code).toBe(EXIT.usage);
    expect(lastErrorLine(result.stderr)).toBe(
      "IAM role CensusPinpointSegmentImporter-01234567 is tagged managed-by=census-pinpoint: that is the stack's; retiring a managed stack is `census-pinpoint teardown`.",
    );
    expect(await gone((client) => client.send(new GetRoleCommand({ RoleName: roleName })))).toBe(false);
    expect(await keysOf(guide.userName)).toContain(guide.censusKey.accessKeyId);
  });

  test("a key of a user tagged managed-by=census-pinpoint is the stack's", async () => {
    const userName = "census-pinpoint-01234567";
    const stackKey = await iam(async (client) => {
      await client.send(new CreateUserCommand({ UserName: userName }));
      await client.send(new TagUserCommand({ UserName: userName, Tags: [{ Key: "managed-by", Value: "census-pinpoint" }] }));
      return (await client.send(new CreateAccessKeyCommand({ UserName: userName }))).AccessKey!.AccessKeyId!;
    });
    const result = await retire(["--access-key-id", stackKey, "--yes", "--no-input"]);

    expect(result.code).toBe(EXIT.usage);
    expect(lastErrorLine(result.stderr)).toBe(
      `Access key ${stackKey} belongs to IAM user ${userName}, tagged managed-by=census-pinpoint: that is the stack's; retiring a managed stack is \`census-pinpoint teardown\`.`,
    );
    expect(await keysOf(userName)).toEqual([stackKey]);
  });

  test("the key the command runs with: here the person runs retire with the very key Census held", async () => {
    profiles({ dana: guide.censusKey });
    const result = await retire(["--profile", "dana", "--access-key-id", guide.censusKey.accessKeyId, "--role-arn", guide.roleArn, "--yes", "--no-input"]);

    expect(result.code).toBe(EXIT.usage);
    expect(lastErrorLine(result.stderr)).toBe(
      `Access key ${guide.censusKey.accessKeyId} is the one the credentials running retire use (${guide.userArn}): deleting it would lock you out.`,
    );
    expect(await keysOf(guide.userName)).toContain(guide.censusKey.accessKeyId);
    expect(await gone((client) => client.send(new GetRoleCommand({ RoleName: guide.roleName })))).toBe(false);
  });

  test("a role Amazon Pinpoint cannot assume is not an importer role", async () => {
    const { Role } = await iam((client) =>
      client.send(
        new CreateRoleCommand({
          RoleName: "ec2-reader",
          AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
        }),
      ),
    );
    const result = await retire(["--role-arn", Role!.Arn!, "--yes", "--no-input"]);

    expect(result.code).toBe(EXIT.usage);
    expect(lastErrorLine(result.stderr)).toBe("IAM role ec2-reader does not trust pinpoint.amazonaws.com: it is not an Amazon Pinpoint importer role, so retire leaves it alone.");
  });

  test("a role in another account than the credentials'", async () => {
    const result = await retire(["--role-arn", "arn:aws:iam::111111111111:role/CensusPinpointImporter", "--yes", "--no-input"]);

    expect(result.code).toBe(EXIT.usage);
    expect(lastErrorLine(result.stderr)).toBe(
      "--role-arn arn:aws:iam::111111111111:role/CensusPinpointImporter is in AWS account 111111111111, but these credentials belong to account 123456789012.",
    );
  });
});

test("--key-profile: the key is read from the profile without being used, so its last use is what Census did", async () => {
  profiles({ "census-old": guide.censusKey });
  const result = await retire(["--key-profile", "census-old", "--yes", "--no-input", "--json"]);

  expect(result.code).toBe(EXIT.ok);
  expect(JSON.parse(result.stdout).removed).toEqual([
    { kind: "access-key", id: guide.censusKey.accessKeyId, description: `access key ${guide.censusKey.accessKeyId} of IAM user dana.admin (never used)` },
  ]);
  expect(await keysOf(guide.userName)).toEqual([guide.personalKey.accessKeyId]);
});

test("a key used within the last day is named with a warning that Census may still be using it", async () => {
  const sts = new STSClient({ region: REGION, credentials: guide.censusKey });
  await sts.send(new GetCallerIdentityCommand({})).finally(() => sts.destroy());
  const result = await retire(["--access-key-id", guide.censusKey.accessKeyId, "--yes", "--no-input"]);

  expect(result.code).toBe(EXIT.ok);
  expect(result.stderr).toMatch(new RegExp(`  - access key ${guide.censusKey.accessKeyId} of IAM user dana.admin \\(last used \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC, sts in us-east-1\\)`));
  expect(result.stderr).toMatch(/⚠ Access key \S+ was last used .*, within the last 24 hours: Census may still be using it\./);
});
