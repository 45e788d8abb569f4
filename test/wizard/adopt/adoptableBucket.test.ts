import { bucketToImport, checkAdoptable } from "../../../wizard/adopt/adoptableBucket.js";
import { wholeBucketExpiryDays, type ExistingBucket } from "../../../wizard/aws/existingBucket.js";
import { AwsRequestError, UsageError } from "../../../wizard/errors.js";

const PROJECT = "0123456789abcdef0123456789abcdef";
const WANTED = { bucketName: "acme-census-staging", region: "us-east-2", projectId: PROJECT } as const;

function found(overrides: Partial<ExistingBucket> = {}) {
  const bucket: ExistingBucket = { name: WANTED.bucketName, region: "us-east-2", policyStatements: [], lifecycleRules: [], objects: { count: 3, more: false }, ...overrides };
  return { found: true as const, bucket };
}

function refusal(run: () => unknown): { type: string; message: string; hint?: string } {
  try {
    run();
  } catch (error) {
    const failure = error as UsageError;
    return { type: failure.constructor.name, message: failure.message, hint: failure.hint };
  }
  throw new Error("expected a refusal");
}

describe("checkAdoptable", () => {
  test("a bucket that does not exist is refused, saying where Census shows the name", () => {
    expect(refusal(() => checkAdoptable({ found: false, why: "missing" }, WANTED))).toEqual({
      type: UsageError.name,
      message: 'There is no S3 bucket "acme-census-staging" in this account.',
      hint: expect.stringContaining("S3 Staging Bucket Name (Census → Destinations"),
    });
  });

  test("another account's bucket is refused as an AWS failure (exit 3)", () => {
    const failure = refusal(() => checkAdoptable({ found: false, why: "another-account" }, WANTED));
    expect(failure).toMatchObject({ type: AwsRequestError.name, message: 'The S3 bucket "acme-census-staging" belongs to another AWS account, or your credentials may not read it.' });
  });

  test("a bucket in another region than the project is refused: Pinpoint imports only from its own region", () => {
    expect(refusal(() => checkAdoptable(found({ region: "eu-west-1" }), WANTED)).message).toBe(
      `The S3 bucket "acme-census-staging" is in eu-west-1, and Pinpoint project 0123456789abcdef0123456789abcdef is in us-east-2: Pinpoint imports only from a bucket in the project's region.`,
    );
  });

  test("a bucket with a policy of its own is refused rather than the policy overwritten", () => {
    const failure = refusal(() => checkAdoptable(found({ policyStatements: [{}, {}] }), WANTED));
    expect(failure.message).toBe(`The S3 bucket "acme-census-staging" has a bucket policy (2 statements): adopting would replace it with census-pinpoint's TLS-only policy.`);
    expect(failure.hint).toContain("aws s3api get-bucket-policy --bucket acme-census-staging");
    expect(failure.hint).toContain("Nothing was changed.");
  });

  test("a bucket another project's stack made is refused, naming that project", () => {
    expect(refusal(() => checkAdoptable(found({ stackProject: "fedcba9876543210fedcba9876543210" }), WANTED)).message).toBe(
      'The S3 bucket "acme-census-staging" was made by the census-pinpoint stack of Pinpoint project fedcba9876543210fedcba9876543210: there is nothing to adopt.',
    );
  });

  test("the hand-made expiry for every object is kept, and the rules the stack replaces are named", () => {
    const adoption = checkAdoptable(found({ lifecycleRules: [{ ID: "expire-30", Status: "Enabled", Filter: { Prefix: "" }, Expiration: { Days: 30 } }] }), WANTED);
    expect(adoption).toMatchObject({ keptExpirationDays: 30, replaced: ["its lifecycle rule (expire-30), by the stack's rule"], objects: { count: 3, more: false } });
  });
});

describe("wholeBucketExpiryDays", () => {
  test("only one enabled rule expiring every object counts; a prefix, a tag, two rules or a disabled rule do not", () => {
    const rule = (overrides: object) => ({ ID: "r", Status: "Enabled" as const, Filter: {}, Expiration: { Days: 14 }, ...overrides });
    expect(wholeBucketExpiryDays([rule({})])).toBe(14);
    expect(wholeBucketExpiryDays([rule({ Filter: { Prefix: "exports/" } })])).toBeUndefined();
    expect(wholeBucketExpiryDays([rule({ Filter: { Tag: { Key: "k", Value: "v" } } })])).toBeUndefined();
    expect(wholeBucketExpiryDays([rule({}), rule({ Expiration: { Days: 3 } })])).toBeUndefined();
    expect(wholeBucketExpiryDays([rule({ Status: "Disabled" })])).toBeUndefined();
    expect(wholeBucketExpiryDays([rule({ Expiration: { Days: 4000 } })])).toBeUndefined();
  });
});

describe("bucketToImport", () => {
  const adoption = (madeByStack: boolean) => ({ bucketName: WANTED.bucketName, replaced: [], objects: { count: 0, more: false }, madeByStack });

  test("a bucket no stack holds is imported", () => {
    expect(bucketToImport(adoption(false), undefined, WANTED)).toBe("acme-census-staging");
  });

  test("the stack's own bucket (adopt run again) is not imported again", () => {
    expect(bucketToImport(adoption(true), "acme-census-staging", WANTED)).toBeUndefined();
  });

  test("a bucket a stack of this project holds elsewhere is refused, never imported into a second stack", () => {
    expect(refusal(() => bucketToImport(adoption(true), undefined, WANTED)).message).toBe(
      'The S3 bucket "acme-census-staging" was made by the census-pinpoint stack of Pinpoint project 0123456789abcdef0123456789abcdef: there is nothing to adopt.',
    );
  });
});
