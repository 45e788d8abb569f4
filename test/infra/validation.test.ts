// Input checks on their own (no Pulumi): the edges of each rule, and what is accepted.
import { defaultBucketName, defaultCensusUserName, defaultImporterRoleName } from "../../infra/names.js";
import { PINPOINT_REGION_NAMES } from "../../infra/regions.js";
import {
  bucketNameProblems,
  bucketNameWarning,
  checkProjectId,
  InvalidInputError,
  validateAccountId,
  validateExpirationDays,
  validateIamName,
  validateKmsKeyAccount,
  validateKmsKeyArn,
  validateRegion,
  validateStagingInputs,
} from "../../infra/validation.js";

const ACCOUNT = "123456789012";
const PROJECT = "0123456789abcdef0123456789abcdef";
const KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";

function thrownBy(action: () => unknown): InvalidInputError {
  try {
    action();
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error("expected an InvalidInputError, nothing was thrown");
}

describe("region", () => {
  test.each(PINPOINT_REGION_NAMES)("accepts Pinpoint region %s", (region) => {
    expect(validateRegion(region)).toBe(region);
  });

  test("only us-gov-west-1 is in the aws-us-gov partition", () => {
    const partitions = PINPOINT_REGION_NAMES.map((region) => [region, validateStagingInputs({ region, pinpointProjectId: PROJECT }).partition]);
    expect(partitions.filter(([, partition]) => partition !== "aws")).toEqual([["us-gov-west-1", "aws-us-gov"]]);
  });

  test("an empty region is reported as missing", () => {
    expect(thrownBy(() => validateRegion("")).message).toMatch(/No AWS region given/);
  });
});

describe("project ID", () => {
  test("a real-shaped ID (32 lowercase hex) passes without a warning", () => {
    expect(checkProjectId(PROJECT)).toEqual({});
  });

  test.each([":", "?", "."])("refuses %s, which could widen an ARN", (character) => {
    const error = thrownBy(() => checkProjectId(`0123${character}4567`));
    expect(error.field).toBe("pinpointProjectId");
    expect(error.message).toMatch(/only letters, digits, "-" and "_"/);
  });

  test("a line break counts as whitespace", () => {
    expect(thrownBy(() => checkProjectId(`${PROJECT}\n`)).message).toMatch(/whitespace/);
  });
});

describe("bucket name", () => {
  test.each(["abc", "a".repeat(63), "census-pinpoint-staging", "1-census.staging-2"])("accepts %s", (name) => {
    expect(bucketNameProblems(name)).toEqual([]);
  });

  test.each(["sthree-", "amzn-s3-demo-"])("refuses the reserved prefix %s", (prefix) => {
    expect(bucketNameProblems(`${prefix}census`)).toEqual([`it must not start with the reserved prefix "${prefix}"`]);
  });

  test.each(["--ol-s3", ".mrap", "--x-s3", "--table-s3"])("refuses the reserved suffix %s", (suffix) => {
    expect(bucketNameProblems(`census${suffix}`)).toEqual([`it must not end with the reserved suffix "${suffix}"`]);
  });

  test("reports every rule a name breaks, not just the first", () => {
    const message = thrownBy(() => validateStagingInputs({ region: "eu-west-1", pinpointProjectId: PROJECT, bucketName: "-Census_Staging..-" })).message;
    for (const rule of [/uppercase/, /found "_"/, /must start/, /must end/, /two adjacent periods/]) expect(message).toMatch(rule);
  });

  test("a name that only looks partly like an IP address is fine", () => {
    expect(bucketNameProblems("10.0.0.1.census")).toEqual([]);
  });

  test.each(PINPOINT_REGION_NAMES)("the default name in %s is a valid bucket name", (region) => {
    expect(bucketNameProblems(defaultBucketName(ACCOUNT, region, PROJECT))).toEqual([]);
  });

  test("two projects in one region and account get two default buckets", () => {
    expect(defaultBucketName(ACCOUNT, "us-east-1", "0123456789abcdef0123456789abcdef")).not.toBe(defaultBucketName(ACCOUNT, "us-east-1", "fedcba9876543210fedcba9876543210"));
  });

  test("dots earn a TLS warning; names without dots none", () => {
    expect(bucketNameWarning("census.staging")).toMatch(/breaks TLS/);
    expect(bucketNameWarning("census-staging")).toBeUndefined();
  });
});

describe("expiration days", () => {
  test.each([
    [1, 1],
    [3650, 3650],
    ["7", 7],
    [" 14 ", 14],
  ])("accepts %p as %p", (input, days) => {
    expect(validateExpirationDays(input)).toBe(days);
  });

  test.each([1.5, Number.NaN, "", "1e3", "0x10", "7 days"])("refuses %p", (input) => {
    expect(thrownBy(() => validateExpirationDays(input)).field).toBe("expirationDays");
  });
});

describe("IAM names", () => {
  test("accepts 64 characters and every character IAM allows", () => {
    expect(validateIamName("importerRoleName", "R".repeat(64))).toHaveLength(64);
    expect(validateIamName("censusUserName", "census+pinpoint=1,2.3@acme_-x")).toBe("census+pinpoint=1,2.3@acme_-x");
  });

  test("refuses an empty name", () => {
    expect(thrownBy(() => validateIamName("censusUserName", "")).message).toMatch(/IAM user name: it must be 1 to 64 characters long \(it has 0\)/);
  });

  test("the default names derived from any accepted project ID are valid", () => {
    for (const id of [PROJECT, "x", "Marketing_App-1"]) {
      expect(() => validateIamName("importerRoleName", defaultImporterRoleName(id))).not.toThrow();
      expect(() => validateIamName("censusUserName", defaultCensusUserName(id))).not.toThrow();
    }
  });
});

describe("KMS key", () => {
  test.each([
    ["eu-west-1", "aws", `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${KEY_ID}`],
    ["us-gov-west-1", "aws-us-gov", `arn:aws-us-gov:kms:us-gov-west-1:${ACCOUNT}:key/${KEY_ID}`],
    ["eu-west-1", "aws", `arn:aws:kms:eu-west-1:${ACCOUNT}:key/mrk-1234abcd12ab34cd56ef1234567890ab`],
  ] as const)("accepts a key in the bucket's region (%s)", (region, partition, arn) => {
    expect(validateKmsKeyArn(arn, partition, region)).toBe(arn);
  });

  test("refuses an alias, whose ARN in an IAM grant would not cover the key", () => {
    const error = thrownBy(() => validateKmsKeyArn(`arn:aws:kms:eu-west-1:${ACCOUNT}:alias/aws/s3`, "aws", "eu-west-1"));
    expect(error.field).toBe("kmsKeyArn");
    expect(error.message).toMatch(/alias/);
  });

  // AWS's documented example account stands for the other account.
  test("refuses a key of another account than the stack's, naming both", () => {
    expect(validateKmsKeyAccount(`arn:aws:kms:eu-west-1:${ACCOUNT}:key/${KEY_ID}`, ACCOUNT)).toBe(`arn:aws:kms:eu-west-1:${ACCOUNT}:key/${KEY_ID}`);
    const error = thrownBy(() => validateKmsKeyAccount(`arn:aws:kms:eu-west-1:111122223333:key/${KEY_ID}`, ACCOUNT));
    expect(error.field).toBe("kmsKeyArn");
    expect(error.message).toMatch(new RegExp(`is in AWS account 111122223333, and this setup is in account ${ACCOUNT}: use a key of account ${ACCOUNT} \\(a key in another account also needs a grant in that account's key policy`));
  });
});

test("account IDs must be 12 digits", () => {
  expect(validateAccountId(ACCOUNT)).toBe(ACCOUNT);
  expect(thrownBy(() => validateAccountId("12345678901")).field).toBe("accountId");
});

describe("all inputs together", () => {
  test("normalizes config text and fills the defaults", () => {
    expect(validateStagingInputs({ region: "us-gov-west-1", pinpointProjectId: PROJECT, expirationDays: "30" })).toEqual({
      region: "us-gov-west-1",
      partition: "aws-us-gov",
      pinpointProjectId: PROJECT,
      expirationDays: 30,
      accessKeyGeneration: 1,
      keepPreviousAccessKey: false,
      warnings: [],
    });
    expect(validateStagingInputs({ region: "eu-west-1", pinpointProjectId: PROJECT }).expirationDays).toBe(7);
  });

  test("reads the key rotation state from config text", () => {
    const valid = validateStagingInputs({ region: "eu-west-1", pinpointProjectId: PROJECT, accessKeyGeneration: "3", keepPreviousAccessKey: "true" });
    expect(valid).toMatchObject({ accessKeyGeneration: 3, keepPreviousAccessKey: true });
  });

  test.each([
    [{ accessKeyGeneration: "0" }, /accessKeyGeneration must be a whole number from 1/],
    [{ accessKeyGeneration: "two" }, /accessKeyGeneration must be a whole number from 1/],
    [{ keepPreviousAccessKey: "yes" }, /keepPreviousAccessKey must be true or false/],
  ])("refuses the rotation state %j", (rotation, message) => {
    expect(() => validateStagingInputs({ region: "eu-west-1", pinpointProjectId: PROJECT, ...rotation })).toThrow(message);
  });

  test("collects every warning", () => {
    const { warnings } = validateStagingInputs({ region: "eu-west-1", pinpointProjectId: "MyProject", bucketName: "census.staging" });
    expect(warnings).toEqual([expect.stringMatching(/does not look like an Amazon Pinpoint project ID/), expect.stringMatching(/breaks TLS/)]);
  });

  test("checks a KMS key against the configured region", () => {
    const error = thrownBy(() =>
      validateStagingInputs({ region: "eu-west-2", pinpointProjectId: PROJECT, kmsKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${KEY_ID}` }),
    );
    expect(error.message).toMatch(/is in eu-west-1 \(aws\); the staging bucket is in eu-west-2/);
  });

  test("checks a KMS key against the account when the account is given, and only then", () => {
    const foreignKey = `arn:aws:kms:eu-west-1:111122223333:key/${KEY_ID}`;
    expect(thrownBy(() => validateStagingInputs({ region: "eu-west-1", pinpointProjectId: PROJECT, accountId: ACCOUNT, kmsKeyArn: foreignKey })).field).toBe("kmsKeyArn");
    // Without an account (the component resolves the caller's later, and checks then).
    expect(validateStagingInputs({ region: "eu-west-1", pinpointProjectId: PROJECT, kmsKeyArn: foreignKey }).kmsKeyArn).toBe(foreignKey);
  });
});
