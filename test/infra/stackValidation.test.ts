// Bad stack config must stop `pulumi up` before anything is declared: an error naming the broken
// rule, and no resource registered (nothing half-declared for the engine to create).
import * as pulumi from "@pulumi/pulumi";
import { InvalidArgumentError } from "../../infra/arguments.js";
import type { InputField } from "../../infra/validation.js";
import { TEST_ACCOUNT_ID, TEST_PROJECT_ID } from "../helpers/pulumiMocks.js";
import { AWS_TYPES, runRejectedStack, runStack, stackConfig } from "./stackRun.js";

const KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";

interface Rejection {
  case: string;
  config: Record<string, string>;
  /** Component arguments without a config key. */
  args?: { accountId: string };
  field: InputField;
  rule: RegExp;
}

const inEuWest1 = (extra: Record<string, string>) => stackConfig("eu-west-1", extra);
const projectId = (id: string) => stackConfig("eu-west-1", {}, id);

const rejections: Rejection[] = [
  { case: "region without Pinpoint (eu-north-1)", config: stackConfig("eu-north-1"), field: "region", rule: /Amazon Pinpoint is not available in eu-north-1/ },
  { case: "China region (cn-north-1)", config: stackConfig("cn-north-1"), field: "region", rule: /China partition/ },
  { case: "made-up region", config: stackConfig("mars-central-1"), field: "region", rule: /"mars-central-1" is not an AWS region/ },
  { case: "empty project ID", config: projectId(""), field: "pinpointProjectId", rule: /project ID is empty/ },
  { case: "project ID with a space", config: projectId("0123456789abcdef 0123456789abcdef"), field: "pinpointProjectId", rule: /contains whitespace/ },
  { case: "project ID with a slash (an ARN)", config: projectId(`apps/${TEST_PROJECT_ID}`), field: "pinpointProjectId", rule: /contains "\/"/ },
  { case: "project ID `*`", config: projectId("*"), field: "pinpointProjectId", rule: /not allowed in an ID.*widen the permissions/ },
  { case: "bucket name with uppercase", config: inEuWest1({ bucketName: "Census-Staging" }), field: "bucketName", rule: /must not contain uppercase/ },
  { case: "bucket name with underscore", config: inEuWest1({ bucketName: "census_staging" }), field: "bucketName", rule: /only lowercase letters, digits.*"_"/ },
  { case: "bucket name of 64 characters", config: inEuWest1({ bucketName: "a".repeat(64) }), field: "bucketName", rule: /3 to 63 characters long \(it has 64\)/ },
  { case: "bucket name of 2 characters", config: inEuWest1({ bucketName: "ab" }), field: "bucketName", rule: /3 to 63 characters long \(it has 2\)/ },
  { case: "IP-shaped bucket name", config: inEuWest1({ bucketName: "192.168.5.4" }), field: "bucketName", rule: /formatted as an IP address/ },
  { case: "bucket name with xn-- prefix", config: inEuWest1({ bucketName: "xn--census-staging" }), field: "bucketName", rule: /reserved prefix "xn--"/ },
  { case: "bucket name with -s3alias suffix", config: inEuWest1({ bucketName: "census-staging-s3alias" }), field: "bucketName", rule: /reserved suffix "-s3alias"/ },
  { case: "bucket name with ..", config: inEuWest1({ bucketName: "census..staging" }), field: "bucketName", rule: /two adjacent periods/ },
  { case: "bucket name with leading hyphen", config: inEuWest1({ bucketName: "-census-staging" }), field: "bucketName", rule: /must start with a lowercase letter or digit/ },
  { case: "bucket name with trailing hyphen", config: inEuWest1({ bucketName: "census-staging-" }), field: "bucketName", rule: /must end with a lowercase letter or digit/ },
  ...["0", "-1", "3651", "abc", "1.5"].map((days) => ({
    case: `expiration days ${days}`,
    config: inEuWest1({ expirationDays: days }),
    field: "expirationDays" as const,
    rule: new RegExp(`whole number from 1 to 3650; got "${days.replace(".", "\\.")}"`),
  })),
  { case: "role name of 65 characters", config: inEuWest1({ importerRoleName: "R".repeat(65) }), field: "importerRoleName", rule: /IAM role name: it must be 1 to 64 characters long \(it has 65\)/ },
  { case: "role name with a space", config: inEuWest1({ importerRoleName: "Census Importer" }), field: "importerRoleName", rule: /IAM role name: it may contain only letters, digits and/ },
  { case: "user name of 65 characters", config: inEuWest1({ censusUserName: "u".repeat(65) }), field: "censusUserName", rule: /IAM user name: it must be 1 to 64 characters long \(it has 65\)/ },
  { case: "user name with a slash", config: inEuWest1({ censusUserName: "census/pinpoint" }), field: "censusUserName", rule: /IAM user name: it may contain only letters, digits and/ },
  {
    case: "KMS key in another region",
    config: inEuWest1({ kmsKeyArn: `arn:aws:kms:us-east-1:${TEST_ACCOUNT_ID}:key/${KEY_ID}` }),
    field: "kmsKeyArn",
    rule: /is in us-east-1 \(aws\).*needs a key in the bucket's region/,
  },
  {
    case: "KMS key in another partition",
    config: stackConfig("us-gov-west-1", { kmsKeyArn: `arn:aws:kms:us-gov-west-1:${TEST_ACCOUNT_ID}:key/${KEY_ID}` }),
    field: "kmsKeyArn",
    rule: /is in us-gov-west-1 \(aws\); the staging bucket is in us-gov-west-1 \(aws-us-gov\)/,
  },
  {
    case: "KMS alias instead of a key",
    config: inEuWest1({ kmsKeyArn: `arn:aws:kms:eu-west-1:${TEST_ACCOUNT_ID}:alias/census` }),
    field: "kmsKeyArn",
    rule: /is a KMS alias ARN/,
  },
  { case: "KMS key ID instead of an ARN", config: inEuWest1({ kmsKeyArn: KEY_ID }), field: "kmsKeyArn", rule: /is not a KMS key ARN/ },
  {
    // AWS's documented example account, as the other account.
    case: "KMS key of another account than the one given",
    config: inEuWest1({ kmsKeyArn: `arn:aws:kms:eu-west-1:111122223333:key/${KEY_ID}` }),
    args: { accountId: TEST_ACCOUNT_ID },
    field: "kmsKeyArn",
    rule: new RegExp(`is in AWS account 111122223333, and this setup is in account ${TEST_ACCOUNT_ID}: use a key of account ${TEST_ACCOUNT_ID}`),
  },
];

test.each(rejections)("refuses $case with a Pulumi RunError (printed without a stack trace) naming the rule, and declares nothing", async ({ config, args, field, rule }) => {
  const { error, run } = await runRejectedStack(config, args);
  expect(error).toBeInstanceOf(InvalidArgumentError);
  expect(pulumi.RunError.isInstance(error)).toBe(true);
  expect(error).toMatchObject({ field, message: expect.stringMatching(rule) });
  expect(run.resources).toEqual([]);
  expect(run.invokes).toEqual([]);
});

test.each([
  ["uppercase hexadecimal", "0123456789ABCDEF0123456789ABCDEF", /32 lowercase hexadecimal characters; this one has 32 characters, some uppercase/],
  ["a short name-like ID", "marketing_app-1", /this one has 15 characters, some not hexadecimal: "m", "r", "k", "t", "i", "n", "g", "_", "p", "-"\)/],
])("accepts an unusual project ID (%s) with a warning, and scopes permissions to exactly that ID", async (_case, id, warning) => {
  const run = await runStack(stackConfig("eu-west-1", {}, id));
  expect(run.warnings).toEqual([expect.stringMatching(warning)]);
  expect(run.resources.filter((r) => r.type.startsWith("aws:"))).toHaveLength(15);
  const trust = JSON.parse(run.resources.find((r) => r.type === AWS_TYPES.role)!.inputs.assumeRolePolicy);
  const app = `arn:aws:mobiletargeting:eu-west-1:${TEST_ACCOUNT_ID}:apps/${id}`;
  expect(trust.Statement[0].Condition.ArnLike["aws:SourceArn"]).toEqual([app, `${app}/*`]);
});

test("a usual project ID and default settings give no warning", async () => {
  expect((await runStack(stackConfig("eu-west-1"))).warnings).toEqual([]);
});

test("a bucket name with dots is accepted with a warning about TLS", async () => {
  const run = await runStack(stackConfig("eu-west-1", { bucketName: "census.staging.example" }));
  expect(run.warnings).toEqual([expect.stringMatching(/contains "\.", which breaks TLS/)]);
  expect(run.resources.find((r) => r.type === AWS_TYPES.bucket)!.inputs.bucket).toBe("census.staging.example");
});
