// `census-pinpoint credentials` as a user runs it, against stacks in a fake Pulumi backend; and how
// every day-2 command picks its stack.
import { join } from "node:path";
import { MASKED_SECRET } from "../../../wizard/censusValues.js";
import { EXIT } from "../../../wizard/errors.js";
import { FakePulumi } from "../../helpers/fakePulumi.js";
import { TEST_ACCESS_KEY_ID, TEST_ACCOUNT_ID, TEST_PROJECT_ID, TEST_SECRET_KEY } from "../../helpers/pulumiMocks.js";
import { STACK, useTempHome } from "../pulumi/setup.js";
import { OTHER_PROJECT_ID, runCli, seedStack } from "./dayTwo.js";

const temp = useTempHome();
const BUCKET = `census-pinpoint-staging-01234567-${TEST_ACCOUNT_ID}-us-east-1`;
const ROLE_ARN = `arn:aws:iam::${TEST_ACCOUNT_ID}:role/CensusPinpointSegmentImporter-01234567`;
const OTHER_STACK = `eu-west-1-${OTHER_PROJECT_ID}`;

/** Whether any CLI call so far asked Pulumi for plaintext secrets. */
const readSecrets = (fake: FakePulumi) => fake.calls.some((call) => call.args.includes("--show-secrets") && call.args[0] === "stack");

async function oneStack(): Promise<FakePulumi> {
  const fake = new FakePulumi();
  await seedStack(fake, temp.env);
  fake.calls.length = 0;
  return fake;
}

async function twoStacks(): Promise<FakePulumi> {
  const fake = new FakePulumi();
  await seedStack(fake, temp.env);
  await seedStack(fake, temp.env, { region: "eu-west-1", projectId: OTHER_PROJECT_ID });
  fake.calls.length = 0;
  return fake;
}

describe("credentials", () => {
  test("prints the six values in Census's order with the secret masked, and never reads the secret", async () => {
    const fake = await oneStack();
    const result = await runCli(["credentials", "--no-input"], { env: temp.env, fake });

    expect(result.code).toBe(EXIT.ok);
    expect(result.stdout.split("\n").filter(Boolean)).toEqual([
      `Access Key ID           ${TEST_ACCESS_KEY_ID}`,
      `Secret Key              ${MASKED_SECRET}`,
      `Pinpoint Project ID     ${TEST_PROJECT_ID}`,
      `S3 Staging Bucket Name  ${BUCKET}`,
      `Importer Role ARN       ${ROLE_ARN}`,
      "AWS Region              us-east-1",
    ]);
    expect(result.stderr).toContain("credentials --show-secret");
    expect(`${result.stdout}${result.stderr}`).not.toContain(TEST_SECRET_KEY);
    expect(readSecrets(fake)).toBe(false);
    // Reading changes nothing.
    expect(fake.calls.map((call) => call.args[0])).not.toContain("up");
    expect(fake.callsTo("config set-all")).toEqual([]);
  });

  test("--show-secret prints the secret key, on stdout only", async () => {
    const fake = await oneStack();
    const result = await runCli(["credentials", "--show-secret", "--no-input"], { env: temp.env, fake });

    expect(result.code).toBe(EXIT.ok);
    expect(result.stdout).toContain(`Secret Key              ${TEST_SECRET_KEY}`);
    expect(result.stderr).not.toContain(TEST_SECRET_KEY);
  });

  test("--json is one parseable document, Census's fields first, the secret null unless asked", async () => {
    const fake = await oneStack();
    const masked = await runCli(["credentials", "--json", "--no-input"], { env: temp.env, fake });
    const shown = await runCli(["credentials", "--format", "json", "--show-secret", "--no-input"], { env: temp.env, fake });

    expect(masked.code).toBe(EXIT.ok);
    const document = JSON.parse(masked.stdout);
    expect(Object.keys(document).slice(0, 6)).toEqual(["accessKeyId", "secretAccessKey", "pinpointProjectId", "stagingBucketName", "importerRoleArn", "awsRegion"]);
    expect(document).toMatchObject({ accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: null, stagingBucketName: BUCKET, stackName: STACK });
    expect(JSON.parse(shown.stdout).secretAccessKey).toBe(TEST_SECRET_KEY);
  });

  test("--format env prints dotenv lines for all six values", async () => {
    const fake = await oneStack();
    const result = await runCli(["credentials", "--format", "env", "--show-secret", "--no-input"], { env: temp.env, fake });

    expect(result.code).toBe(EXIT.ok);
    expect(result.stdout).toBe(
      [
        `CENSUS_PINPOINT_ACCESS_KEY_ID=${TEST_ACCESS_KEY_ID}`,
        `CENSUS_PINPOINT_SECRET_ACCESS_KEY=${TEST_SECRET_KEY}`,
        `CENSUS_PINPOINT_PROJECT_ID=${TEST_PROJECT_ID}`,
        `CENSUS_PINPOINT_STAGING_BUCKET=${BUCKET}`,
        `CENSUS_PINPOINT_IMPORTER_ROLE_ARN=${ROLE_ARN}`,
        "CENSUS_PINPOINT_AWS_REGION=us-east-1",
        "",
      ].join("\n"),
    );
  });

  test("--format env without --show-secret comments the secret out instead of writing asterisks", async () => {
    const fake = await oneStack();
    const result = await runCli(["credentials", "--format", "env", "--no-input"], { env: temp.env, fake });

    expect(result.code).toBe(EXIT.ok);
    const lines = result.stdout.split("\n").filter(Boolean);
    expect(lines).toHaveLength(6);
    expect(lines[1]).toBe("# CENSUS_PINPOINT_SECRET_ACCESS_KEY= (masked: add --show-secret to include it)");
    expect(result.stdout).not.toContain("*");
    expect(result.stderr).toContain("add --show-secret");
    expect(readSecrets(fake)).toBe(false);
  });

  test.each([
    [["--format", "yaml"], '--format: "yaml" is not an output format.'],
    [["--json", "--format", "env"], "--json and --format env ask for two different outputs."],
  ])("%j is bad usage (exit 2), before any Pulumi call", async (extra, message) => {
    const fake = await oneStack();
    const result = await runCli(["credentials", ...extra, "--no-input"], { env: temp.env, fake });

    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe("");
    expect(fake.calls).toEqual([]);
  });

  test("a stack that does not exist is exit 2 with a message naming setup", async () => {
    const fake = await oneStack();
    const result = await runCli(["credentials", "--region", "eu-west-1", "--project-id", OTHER_PROJECT_ID], { env: temp.env, fake });

    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain(`There is no stack ${OTHER_STACK} in the backend file://${join(temp.home, "state")}.`);
    expect(result.stderr).toContain("Run `census-pinpoint setup` for this region and project ID first");
    expect(result.stdout).toBe("");
  });

  test("with no stack at all, the message says to run setup first", async () => {
    const result = await runCli(["credentials", "--no-input"], { env: temp.env, fake: new FakePulumi() });

    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain("No census-pinpoint stack in the backend");
    expect(result.stderr).toContain("census-pinpoint setup");
  });
});

describe("choosing the stack (every day-2 command)", () => {
  test("the only stack is the default, and the command says which it used", async () => {
    const fake = await oneStack();
    const result = await runCli(["credentials", "--no-input"], { env: temp.env, fake });

    expect(result.code).toBe(EXIT.ok);
    expect(result.stderr).toContain(`Using stack ${STACK}.`);
    expect(result.questions()).toEqual([]);
  });

  test("several stacks without a terminal: exit 2, listing them and the flags that pick one", async () => {
    const fake = await twoStacks();
    const result = await runCli(["credentials", "--no-input"], { env: temp.env, fake, terminal: true });

    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain(`2 census-pinpoint stacks match: ${OTHER_STACK}, ${STACK}.`);
    expect(result.stderr).toContain("--stack <name>");
    expect(result.questions()).toEqual([]);
  });

  test("several stacks in a terminal: the user picks one from the list", async () => {
    const fake = await twoStacks();
    const result = await runCli(["credentials"], { env: temp.env, fake, terminal: true, script: { chooseStack: [OTHER_STACK] } });

    expect(result.code).toBe(EXIT.ok);
    expect(result.questions()).toEqual(["chooseStack"]);
    const [choices] = result.asked[0]!.args as [Array<{ name: string; detail: string }>];
    expect(choices.map((choice) => choice.name)).toEqual([OTHER_STACK, STACK]);
    expect(choices[0]!.detail).toMatch(/^updated \d{4}-\d{2}-\d{2}$/);
    expect(result.stdout).toContain(`Pinpoint Project ID     ${OTHER_PROJECT_ID}`);
  });

  test("--stack, or --region and --project-id, name the stack without listing any", async () => {
    const fake = await twoStacks();
    const byName = await runCli(["credentials", "--stack", OTHER_STACK, "--json"], { env: temp.env, fake });
    const byParts = await runCli(["credentials", "--region", "us-east-1", "--project-id", TEST_PROJECT_ID, "--json"], { env: temp.env, fake });

    expect(JSON.parse(byName.stdout).stackName).toBe(OTHER_STACK);
    expect(JSON.parse(byParts.stdout).stackName).toBe(STACK);
    expect(fake.callsTo("stack ls")).toEqual([]);
  });

  test("--region alone narrows the list, so one match is used", async () => {
    const fake = await twoStacks();
    const result = await runCli(["credentials", "--region", "eu-west-1", "--json", "--no-input"], { env: temp.env, fake });

    expect(result.code).toBe(EXIT.ok);
    expect(JSON.parse(result.stdout).stackName).toBe(OTHER_STACK);
  });

  test("a --stack that is not a census-pinpoint name is bad usage", async () => {
    const result = await runCli(["credentials", "--stack", "dev"], { env: temp.env, fake: new FakePulumi() });

    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain('--stack: "dev" is not a census-pinpoint stack name');
  });
});
