// The rows of docs/errors.md about bad input values: each is given to `plan`, which validates exactly
// what setup validates but needs no AWS or Pulumi (the account comes from --account-id). A rejected
// value exits 2 with the rule it breaks, before anything is printed on stdout; an unusual but possible
// project ID is only warned about, and the plan is made.
import { main } from "../../wizard/cli.js";
import { EXIT } from "../../wizard/errors.js";
import { captureIo } from "../helpers/cliIo.js";

const PROJECT_ID = "0123456789abcdef0123456789abcdef";

async function plan(flags: Record<string, string>) {
  const argv = ["plan", "--no-input", "--account-id", "123456789012", "--region", "us-east-1", "--project-id", PROJECT_ID];
  for (const [flag, value] of Object.entries(flags)) argv.push(flag, value);
  const captured = captureIo({ CENSUS_PINPOINT_HOME: "/nonexistent/census-pinpoint-home" });
  const code = await main(argv, captured.io);
  return { code, stdout: captured.stdout(), stderr: captured.stderr(), firstLine: captured.stderr().split("\n")[0] };
}

/** A refusal: exit 2, nothing on stdout, and the message as the first line on stderr. */
async function expectRefused(flags: Record<string, string>, message: string) {
  const result = await plan(flags);
  expect(result.code).toBe(EXIT.usage);
  expect(result.stdout).toBe("");
  expect(result.firstLine).toBe(`✖ ${message}`);
}

/** Accepted with a warning: the plan is printed and the warning is the first line on stderr. */
async function expectWarned(projectId: string, warning: string) {
  const result = await plan({ "--project-id": projectId });
  expect(result.code).toBe(EXIT.ok);
  expect(result.stdout).toContain(`Plan for Amazon Pinpoint project ${projectId}`);
  expect(result.firstLine).toBe(`⚠ ${warning}`);
}

describe("project ID", () => {
  it("an empty --project-id is refused", async () => {
    await expectRefused({ "--project-id": "" }, "--project-id: The Pinpoint project ID is empty. Copy it from the Pinpoint console (All projects → Project ID).");
  });

  it("a --project-id with a space in it is refused", async () => {
    await expectRefused(
      { "--project-id": "0123456789abcdef 0123456789abcdef" },
      '--project-id: The Pinpoint project ID "0123456789abcdef 0123456789abcdef" contains whitespace. Copy the ID alone, without spaces or line breaks.',
    );
  });

  it("an uppercase --project-id is used with a warning", async () => {
    await expectWarned(
      "0123456789ABCDEF0123456789ABCDEF",
      '"0123456789ABCDEF0123456789ABCDEF" does not look like an Amazon Pinpoint project ID (those are 32 lowercase hexadecimal characters; this one has 32 characters, some uppercase). Permissions will be scoped to exactly this ID.',
    );
  });

  it("a --project-id of 31 characters is used with a warning", async () => {
    await expectWarned(
      "0123456789abcdef0123456789abcde",
      '"0123456789abcdef0123456789abcde" does not look like an Amazon Pinpoint project ID (those are 32 lowercase hexadecimal characters; this one has 31 characters). Permissions will be scoped to exactly this ID.',
    );
  });

  it("a --project-id of 33 characters is used with a warning", async () => {
    await expectWarned(
      "0123456789abcdef0123456789abcdef0",
      '"0123456789abcdef0123456789abcdef0" does not look like an Amazon Pinpoint project ID (those are 32 lowercase hexadecimal characters; this one has 33 characters). Permissions will be scoped to exactly this ID.',
    );
  });

  it("a --project-id with characters that are not hexadecimal is used with a warning naming them", async () => {
    await expectWarned(
      "0123456789abcdef0123456789abcdeg",
      '"0123456789abcdef0123456789abcdeg" does not look like an Amazon Pinpoint project ID (those are 32 lowercase hexadecimal characters; this one has 32 characters, some not hexadecimal: "g"). Permissions will be scoped to exactly this ID.',
    );
  });
});

describe("region", () => {
  it("a region without Amazon Pinpoint (eu-north-1) is refused", async () => {
    await expectRefused(
      { "--region": "eu-north-1" },
      "--region: Amazon Pinpoint is not available in eu-north-1. Use the region of your Pinpoint project, one of: us-east-1, us-east-2, us-west-2, ca-central-1, eu-central-1, eu-west-1, eu-west-2, ap-south-1, ap-northeast-1, ap-northeast-2, ap-southeast-1, ap-southeast-2, us-gov-west-1.",
    );
  });

  it("a China region (cn-north-1) is refused", async () => {
    await expectRefused(
      { "--region": "cn-north-1" },
      '--region: Region "cn-north-1" is in the AWS China partition, where Amazon Pinpoint is not offered. Use one of: us-east-1, us-east-2, us-west-2, ca-central-1, eu-central-1, eu-west-1, eu-west-2, ap-south-1, ap-northeast-1, ap-northeast-2, ap-southeast-1, ap-southeast-2, us-gov-west-1.',
    );
  });

  it("a made-up region is refused", async () => {
    await expectRefused({ "--region": "mars-central-1" }, '--region: "mars-central-1" is not an AWS region. Use one of: us-east-1, us-east-2, us-west-2, ca-central-1, eu-central-1, eu-west-1, eu-west-2, ap-south-1, ap-northeast-1, ap-northeast-2, ap-southeast-1, ap-southeast-2, us-gov-west-1.');
  });
});

describe("bucket name", () => {
  it("a bucket name with uppercase letters is refused", async () => {
    await expectRefused(
      { "--bucket-name": "census-Staging" },
      '--bucket-name: "census-Staging" is not a valid S3 bucket name: it must not contain uppercase letters.',
    );
  });

  it("a bucket name with an underscore is refused", async () => {
    await expectRefused(
      { "--bucket-name": "census_staging" },
      '--bucket-name: "census_staging" is not a valid S3 bucket name: it may contain only lowercase letters, digits, "." and "-" (found "_").',
    );
  });

  it("a bucket name of 64 characters is refused", async () => {
    await expectRefused(
      { "--bucket-name": "census-pinpoint-staging-123456789012-ap-southeast-2-marketing-01" },
      '--bucket-name: "census-pinpoint-staging-123456789012-ap-southeast-2-marketing-01" is not a valid S3 bucket name: it must be 3 to 63 characters long (it has 64).',
    );
  });

  it("a bucket name shaped like an IP address is refused", async () => {
    await expectRefused({ "--bucket-name": "192.168.5.4" }, '--bucket-name: "192.168.5.4" is not a valid S3 bucket name: it must not be formatted as an IP address.');
  });

  it("a bucket name starting with xn-- is refused", async () => {
    await expectRefused(
      { "--bucket-name": "xn--census-staging" },
      '--bucket-name: "xn--census-staging" is not a valid S3 bucket name: it must not start with the reserved prefix "xn--".',
    );
  });

  it("a bucket name ending in -s3alias is refused", async () => {
    await expectRefused(
      { "--bucket-name": "census-staging-s3alias" },
      '--bucket-name: "census-staging-s3alias" is not a valid S3 bucket name: it must not end with the reserved suffix "-s3alias".',
    );
  });

  it("a bucket name with two adjacent periods is refused", async () => {
    await expectRefused(
      { "--bucket-name": "census..staging" },
      '--bucket-name: "census..staging" is not a valid S3 bucket name: it must not contain two adjacent periods ("..").',
    );
  });
});

describe("expiration days", () => {
  it("--expiration-days 0 is refused", async () => {
    await expectRefused({ "--expiration-days": "0" }, '--expiration-days: Expiration days must be a whole number from 1 to 3650; got "0".');
  });

  it("--expiration-days -1 is refused", async () => {
    await expectRefused({ "--expiration-days": "-1" }, '--expiration-days: Expiration days must be a whole number from 1 to 3650; got "-1".');
  });

  it("--expiration-days 3651 is refused", async () => {
    await expectRefused({ "--expiration-days": "3651" }, '--expiration-days: Expiration days must be a whole number from 1 to 3650; got "3651".');
  });

  it("--expiration-days abc is refused", async () => {
    await expectRefused({ "--expiration-days": "abc" }, '--expiration-days: Expiration days must be a whole number from 1 to 3650; got "abc".');
  });
});

describe("KMS key", () => {
  // AWS's documented example account stands for the other account.
  it("a --kms-key-arn of another account than the setup's is refused, naming both", async () => {
    await expectRefused(
      { "--kms-key-arn": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
      "--kms-key-arn: KMS key arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab is in AWS account 111122223333, and this setup is in account 123456789012: use a key of account 123456789012 (a key in another account also needs a grant in that account's key policy, which this stack cannot make).",
    );
  });
});
