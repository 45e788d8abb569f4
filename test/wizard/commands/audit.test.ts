// `census-pinpoint audit`'s command line: how a setup made by hand is named by flags (and every way to
// get that wrong, each exit 2 before any AWS call), and how a stack's outputs become the subject, with
// the fake Pulumi CLI. The audit itself against AWS is in test/integration/audit.test.ts.
import { auditSubjectFromStack } from "../../../wizard/commands/audit.js";
import { createIoHost } from "../../../wizard/commands/ioHost.js";
import { EXIT } from "../../../wizard/errors.js";
import { createRenderer } from "../../../wizard/render.js";
import { captureIo, lastErrorLine } from "../../helpers/cliIo.js";
import { FakePulumi } from "../../helpers/fakePulumi.js";
import { TEST_ACCESS_KEY_ID, TEST_ACCOUNT_ID, TEST_PROJECT_ID } from "../../helpers/pulumiMocks.js";
import { STACK, useTempHome } from "../pulumi/setup.js";
import { runCli, seedStack } from "./dayTwo.js";

const temp = useTempHome();
const ROLE_ARN = `arn:aws:iam::${TEST_ACCOUNT_ID}:role/CensusPinpointImporter`;
const HAND_MADE = ["audit", "--region", "us-east-1", "--project-id", TEST_PROJECT_ID, "--bucket", "census-staging", "--role-arn", ROLE_ARN];
const EXAMPLE =
  "  Example: census-pinpoint audit --region eu-west-1 --project-id <id> --bucket <bucket> --role-arn <arn> --key-profile <profile> (or --census-user <IAM user name>). Without --bucket, --role-arn, --key-profile and --census-user, audit reviews a stack.";

/** Usage mistakes stop before anything runs: no Pulumi CLI call, no output on stdout. */
async function refused(argv: string[]) {
  const fake = new FakePulumi();
  const result = await runCli(argv, { env: temp.env, fake });
  expect(result.code).toBe(EXIT.usage);
  expect(result.stdout).toBe("");
  expect(fake.calls).toEqual([]);
  return { message: lastErrorLine(result.stderr), stderr: result.stderr };
}

test("a hand-made setup needs all its values: the message names each one missing", async () => {
  const { message, stderr } = await refused(["audit", "--bucket", "census-staging"]);
  expect(message).toBe(
    "To audit a setup by its values, audit needs --region, --project-id, --bucket, --role-arn, and --key-profile or --census-user; missing: --region, --project-id, --role-arn, --key-profile or --census-user.",
  );
  expect(stderr).toContain(`\n${EXAMPLE}\n`);
});

test("--key-profile and --census-user together are refused", async () => {
  const { message } = await refused([...HAND_MADE, "--key-profile", "census", "--census-user", "dana.admin"]);
  expect(message).toBe("--key-profile and --census-user both name who holds Census's key: pass one of them.");
});

test("--stack with the values of a hand-made setup is refused, naming them", async () => {
  const { message, stderr } = await refused(["audit", "--stack", STACK, "--bucket", "census-staging", "--census-user", "dana.admin"]);
  expect(message).toBe("--stack cannot be combined with --bucket, --census-user.");
  expect(stderr).toContain("\n  Audit either a stack (--stack) or a setup by its values.\n");
});

const BAD_VALUES = [
  [["--role-arn", "CensusPinpointImporter"], '--role-arn: "CensusPinpointImporter" is not an IAM role ARN.'],
  [["--census-user", "dana admin"], '--census-user: "dana admin" is not a valid IAM user name: it may contain only letters, digits and "+=,.@_-".'],
  [["--region", "eu-north-1"], "--region: Amazon Pinpoint is not available in eu-north-1. Use the region of your Pinpoint project, one of: us-east-1, us-east-2, us-west-2, ca-central-1, eu-central-1, eu-west-1, eu-west-2, ap-south-1, ap-northeast-1, ap-northeast-2, ap-southeast-1, ap-southeast-2, us-gov-west-1."],
  [["--bucket", "Census_Staging"], '--bucket: "Census_Staging" is not a valid S3 bucket name: it must not contain uppercase letters; it may contain only lowercase letters, digits, "." and "-" (found "_"); it must start with a lowercase letter or digit.'],
] as const;

test.each(BAD_VALUES)("a value that cannot be right is refused with its flag: %j", async (values, expected) => {
  const argv = [...HAND_MADE, "--census-user", "dana.admin"];
  for (let index = 0; index < values.length; index += 2) argv[argv.indexOf(values[index]!) + 1] = values[index + 1]!;
  expect((await refused(argv)).message).toBe(expected);
});

test("a stack's subject comes from its outputs, without reading the secret key", async () => {
  const fake = new FakePulumi();
  await seedStack(fake, temp.env);
  const { io } = captureIo(temp.env);
  const context = { io: createIoHost(io, { noInput: true }), render: createRenderer({ stdout: io.stdout, stderr: io.stderr, env: io.env }), pulumiCommand: fake as never };
  fake.calls.length = 0;

  const subject = await auditSubjectFromStack({ stack: STACK, profile: "admin" }, context);

  const short = TEST_PROJECT_ID.slice(0, 8);
  expect(subject).toEqual({
    region: "us-east-1",
    projectId: TEST_PROJECT_ID,
    bucketName: `census-pinpoint-staging-${short}-${TEST_ACCOUNT_ID}-us-east-1`,
    importerRoleArn: `arn:aws:iam::${TEST_ACCOUNT_ID}:role/CensusPinpointSegmentImporter-${short}`,
    census: { kind: "stack", userName: `census-pinpoint-${short}`, accessKeyId: TEST_ACCESS_KEY_ID },
    admin: { region: "us-east-1", profile: "admin", env: context.io.env },
    stackName: STACK,
  });
  expect(fake.callsTo("stack output").map((call) => call.args)).toEqual([["stack", "output", "--json", "--stack", STACK]]);
});

test("a stack that does not exist: exit 2, as other stack commands", async () => {
  const result = await runCli(["audit", "--stack", STACK], { env: temp.env, fake: new FakePulumi() });
  expect(result.code).toBe(EXIT.usage);
  expect(result.stdout).toBe("");
  expect(lastErrorLine(result.stderr)).toBe(`There is no stack ${STACK} in the backend file://${temp.home}/state.`);
});
