// `census-pinpoint retire` as a user runs it in a terminal: scripted answers for the extra consent
// when no stack exists, the choice per piece and the project ID typed back; the fake Pulumi CLI for
// the stack's presence and its re-audit; the guide's setup in moto for the IAM side.
import { GetRoleCommand, IAMClient, ListAccessKeysCommand, ListAttachedRolePoliciesCommand } from "@aws-sdk/client-iam";
import { EXIT } from "../../../wizard/errors.js";
import { lastErrorLine, runCli } from "../../helpers/cliIo.js";
import { FakePulumi } from "../../helpers/fakePulumi.js";
import { buildGuideSetupAsOwner, GUIDE_MOTO_ENV, S3_READ_ONLY_ARN, type GuideSetup } from "../../helpers/guideSetup.js";
import { DUMMY_CREDENTIALS, useMoto } from "../../helpers/moto.js";
import { TEST_PROJECT_ID } from "../../helpers/pulumiMocks.js";
import type { Script } from "../../helpers/scriptedPrompter.js";
import { STACK, useTempHome } from "../pulumi/setup.js";
import { seedStack } from "./dayTwo.js";

const REGION = "us-east-1";
const BY_PROJECT = ["retire", "--region", REGION, "--project-id", TEST_PROJECT_ID];
const CONFIRM = `Type the project ID ${TEST_PROJECT_ID} to confirm`;
const temp = useTempHome();
useMoto({ env: GUIDE_MOTO_ENV });
const admin = { region: REGION, credentials: DUMMY_CREDENTIALS };
let guide: GuideSetup;

beforeAll(() => {
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey });
});

beforeEach(async () => {
  guide = await buildGuideSetupAsOwner({ bucketName: "census-pinpoint-staging-by-hand", region: REGION });
});

async function retire(argv: string[], options: { fake?: FakePulumi; script?: Script; terminal?: boolean } = {}) {
  const fake = options.fake ?? new FakePulumi();
  const result = runCli([...BY_PROJECT, ...argv], { home: temp.home, fake, script: options.script, terminal: options.terminal });
  const code = await result.code;
  return { code, stdout: result.stdout(), stderr: result.stderr(), asked: result.asked, questions: result.questions(), unanswered: result.unanswered(), fake };
}

async function withIam<T>(run: (client: IAMClient) => Promise<T>): Promise<T> {
  const client = new IAMClient(admin);
  try {
    return await run(client);
  } finally {
    client.destroy();
  }
}

const censusKeyExists = async () =>
  (await withIam((iam) => iam.send(new ListAccessKeysCommand({ UserName: guide.userName })))).AccessKeyMetadata!.some(
    (key) => key.AccessKeyId === guide.censusKey.accessKeyId,
  );
const roleExists = () => withIam((iam) => iam.send(new GetRoleCommand({ RoleName: guide.roleName }))).then(() => true, () => false);
const BOTH = () => ["--access-key-id", guide.censusKey.accessKeyId, "--role-arn", guide.roleArn];

describe("in a terminal without --yes", () => {
  test("without a stack, the extra consent comes first; declining it deletes nothing, exit 2", async () => {
    const result = await retire(BOTH(), { terminal: true, script: { confirmRetireWithoutStack: [false] } });

    expect(result.code).toBe(EXIT.usage);
    expect(result.questions).toEqual(["confirmRetireWithoutStack"]);
    expect(result.asked[0]!.args).toEqual([`No census-pinpoint stack ${STACK}: retiring before \`census-pinpoint adopt\` leaves Census without a working setup.`]);
    expect(lastErrorLine(result.stderr)).toBe("Not confirmed: nothing was deleted.");
    expect(await censusKeyExists()).toBe(true);
    expect(await roleExists()).toBe(true);
  });

  test("each piece can be left out: the key is kept, the role goes after the project ID is typed", async () => {
    const result = await retire(BOTH(), {
      terminal: true,
      script: { confirmRetireWithoutStack: [true], confirmRetirePiece: [false, true], confirmTypedText: [true] },
    });

    expect(result.code).toBe(EXIT.ok);
    expect(result.questions).toEqual(["confirmRetireWithoutStack", "confirmRetirePiece", "confirmRetirePiece", "confirmTypedText"]);
    const key = guide.censusKey.accessKeyId;
    expect(result.asked[1]!.args).toEqual([`access key ${key} of IAM user dana.admin (never used)`]);
    expect(result.asked[2]!.args).toEqual([`IAM role ${guide.roleName}; AmazonS3ReadOnlyAccess detached`]);
    expect(result.asked[3]!.args).toEqual([TEST_PROJECT_ID, CONFIRM]);
    expect(result.stdout).toContain(`✔ IAM role ${guide.roleName}; AmazonS3ReadOnlyAccess detached: removed`);
    expect(result.stdout).toContain(`– access key ${key} of IAM user dana.admin (never used), not selected: kept`);
    expect(await censusKeyExists()).toBe(true);
    expect(await roleExists()).toBe(false);
  });

  test("text that is not the project ID deletes nothing, exit 2", async () => {
    const result = await retire(BOTH(), {
      terminal: true,
      script: { confirmRetireWithoutStack: [true], confirmRetirePiece: [true, true], confirmTypedText: [false] },
    });

    expect(result.code).toBe(EXIT.usage);
    expect(lastErrorLine(result.stderr)).toBe("What was typed is not the project ID 0123456789abcdef0123456789abcdef: nothing was deleted.");
    expect(await censusKeyExists()).toBe(true);
    expect(await roleExists()).toBe(true);
  });

  test("every piece left out: nothing deleted, no project ID asked, exit 0", async () => {
    const result = await retire(BOTH(), { terminal: true, script: { confirmRetireWithoutStack: [true], confirmRetirePiece: [false, false] } });

    expect(result.code).toBe(EXIT.ok);
    expect(result.questions).not.toContain("confirmTypedText");
    expect(await censusKeyExists()).toBe(true);
    expect(await roleExists()).toBe(true);
  });

  test("with the stack adopt made: no extra consent; one piece is asked for by the project ID alone; then the stack is audited again", async () => {
    const fake = new FakePulumi();
    await seedStack(fake, temp.env);
    const result = await retire(["--role-arn", guide.roleArn, "--keep-role", "--json"], { fake, terminal: true, script: { confirmTypedText: [true] } });

    expect(result.code).toBe(EXIT.ok);
    expect(result.questions).toEqual(["confirmTypedText"]);
    expect(result.stderr).not.toContain("without a working setup");
    const document = JSON.parse(result.stdout);
    expect(document.removed).toEqual([
      { kind: "role-policies", id: guide.roleArn, description: `AmazonS3ReadOnlyAccess detached from IAM role ${guide.roleName} (the role stays: --keep-role)` },
    ]);
    expect(document.audit.subject).toMatchObject({ stackName: STACK, projectId: TEST_PROJECT_ID, region: REGION });
    expect(Array.isArray(document.audit.findings)).toBe(true);
    const attached = await withIam((iam) => iam.send(new ListAttachedRolePoliciesCommand({ RoleName: guide.roleName })));
    expect(attached.AttachedPolicies).toEqual([]);
  });
});

test("--no-input without --yes exits 2 before any AWS or Pulumi call, naming the flag", async () => {
  const result = await retire([...BOTH(), "--no-input"]);

  expect(result.code).toBe(EXIT.usage);
  expect(lastErrorLine(result.stderr)).toBe("retire deletes IAM resources, and without a terminal nothing can be confirmed: pass --yes to go ahead.");
  expect(result.stderr).not.toContain("Using AWS account");
  expect(result.fake.calls).toEqual([]);
  expect(await censusKeyExists()).toBe(true);
  expect(await roleAttachmentsOf()).toEqual([S3_READ_ONLY_ARN]);
});

async function roleAttachmentsOf(): Promise<string[]> {
  const { AttachedPolicies } = await withIam((iam) => iam.send(new ListAttachedRolePoliciesCommand({ RoleName: guide.roleName })));
  return AttachedPolicies!.map((policy) => policy.PolicyArn!);
}

/** A usage error: exit 2 with this message, before any AWS or Pulumi call. */
async function refusedBeforeAnyCall(argv: string[], message: string): Promise<void> {
  const fake = new FakePulumi();
  const result = runCli(argv, { home: temp.home, fake });

  expect(await result.code).toBe(EXIT.usage);
  expect(lastErrorLine(result.stderr())).toBe(message);
  expect(result.stderr()).not.toContain("Using AWS account");
  expect(fake.calls).toEqual([]);
}

describe("usage errors, exit 2 before any AWS call", () => {
  test("no --region or --project-id", async () => {
    await refusedBeforeAnyCall(
      ["retire", "--role-arn", "arn:aws:iam::123456789012:role/R", "--yes"],
      "retire needs --region and --project-id: the project whose stack took over from the setup made by hand.",
    );
  });

  test("neither a role nor a key named", async () => {
    await refusedBeforeAnyCall(
      [...BY_PROJECT, "--yes"],
      "Nothing to retire: name the old importer role (--role-arn) and/or the old access key (--key-profile or --access-key-id).",
    );
  });

  test("--key-profile and --access-key-id together", async () => {
    await refusedBeforeAnyCall(
      [...BY_PROJECT, "--key-profile", "old", "--access-key-id", "AKIAI44QH8DHBEXAMPLE", "--yes"],
      "--key-profile and --access-key-id both name the old key: pass one of them.",
    );
  });

  test("--keep-role without --role-arn", async () => {
    await refusedBeforeAnyCall([...BY_PROJECT, "--access-key-id", "AKIAI44QH8DHBEXAMPLE", "--keep-role", "--yes"], "--keep-role needs --role-arn: the importer role to keep.");
  });

  test("a role name instead of its ARN", async () => {
    await refusedBeforeAnyCall([...BY_PROJECT, "--role-arn", "CensusPinpointImporter", "--yes"], '--role-arn: "CensusPinpointImporter" is not an IAM role ARN.');
  });

  test("a user name instead of an access key ID", async () => {
    await refusedBeforeAnyCall(
      [...BY_PROJECT, "--access-key-id", "dana.admin", "--yes"],
      `--access-key-id: "dana.admin" is not an IAM user's access key ID (they start with AKIA, e.g. AKIAI44QH8DHBEXAMPLE).`,
    );
  });
});
