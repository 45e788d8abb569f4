import { TEST_ACCOUNT_ID, TEST_PROJECT_ID, type CapturedResource } from "../helpers/pulumiMocks.js";
import {
  DEFAULT_MAX_EXPIRATION_DAYS,
  bucketHardeningPresent,
  defaultEncryption,
  lifecycleExpirationBounded,
  noWildcardPermissions,
  postureRules,
  publicAccessBlockComplete,
  serviceTrustSourceAccount,
  tlsOnlyBucketPolicy,
} from "../../policy/rules.js";
import {
  asDeclared,
  asDeployed,
  captureProgram,
  isResourceRule,
  isStackRule,
  runResourceRule,
  runStackRule,
  type ResourceUnderTest,
} from "./policyHarness.js";

const KMS_KEY_ARN = `arn:aws:kms:us-east-1:${TEST_ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const BASE_CONFIG = { "aws:region": "us-east-1", "census-pinpoint:pinpointProjectId": TEST_PROJECT_ID };

const TYPES = {
  bucket: "aws:s3/bucket:Bucket",
  publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  policy: "aws:iam/policy:Policy",
  role: "aws:iam/role:Role",
};

let sseS3Program: CapturedResource[];
let sseKmsProgram: CapturedResource[];

beforeAll(async () => {
  sseS3Program = await captureProgram(BASE_CONFIG);
  sseKmsProgram = await captureProgram({ ...BASE_CONFIG, "census-pinpoint:kmsKeyArn": KMS_KEY_ARN });
});

function declared(program: CapturedResource[], type: string, nameSuffix = ""): ResourceUnderTest {
  const found = program.filter((r) => r.type === type && r.name.endsWith(nameSuffix));
  if (found.length !== 1) throw new Error(`expected one ${type} named *${nameSuffix}, found ${found.length}`);
  return structuredClone(asDeclared(found[0]!));
}

/** A copy of a resource whose JSON policy property went through `edit`. */
function withDocument(resource: ResourceUnderTest, property: string, edit: (document: any) => void): ResourceUnderTest {
  const document = JSON.parse(resource.props[property]);
  edit(document);
  return { ...resource, props: { ...resource.props, [property]: JSON.stringify(document) } };
}

function messages(outcome: { violations: { message: string }[] }): string[] {
  return outcome.violations.map((v) => v.message);
}

describe("the pack", () => {
  test("has uniquely named, mandatory, described rules", () => {
    const names = postureRules.map((rule) => rule.name);
    expect(new Set(names).size).toBe(names.length);
    for (const rule of postureRules) {
      expect(rule.enforcementLevel).toBe("mandatory");
      expect(rule.name).toMatch(/^[a-z0-9-]+$/);
      expect(rule.description.length).toBeGreaterThan(20);
    }
  });

  test("lets a policy config set the lifecycle bound, 3650 days unless set", () => {
    expect(DEFAULT_MAX_EXPIRATION_DAYS).toBe(3650);
    expect(lifecycleExpirationBounded.configSchema?.properties.maxExpirationDays).toMatchObject({
      type: "integer",
      default: 3650,
    });
  });
});

test("the two program runs differ in their default encryption", () => {
  const algorithm = (program: CapturedResource[]) =>
    declared(program, TYPES.encryption).props.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm;
  expect([algorithm(sseS3Program), algorithm(sseKmsProgram)]).toEqual(["AES256", "aws:kms"]);
});

describe.each([
  ["SSE-S3", () => sseS3Program],
  ["SSE-KMS", () => sseKmsProgram],
])("the program (%s) passes every rule", (_variant, program) => {
  test.each(postureRules.filter(isResourceRule).map((rule) => [rule.name, rule] as const))(
    "%s: no violation on any resource, and it applies to at least one",
    async (_name, rule) => {
      let applied = 0;
      for (const resource of program()) {
        const outcome = await runResourceRule(rule, asDeclared(resource));
        expect({ resource: resource.name, violations: messages(outcome) }).toEqual({ resource: resource.name, violations: [] });
        if (outcome.notApplicable === undefined) applied++;
      }
      expect(applied).toBeGreaterThan(0);
    },
  );

  test.each(postureRules.filter(isStackRule).map((rule) => [rule.name, rule] as const))(
    "%s: no violation on the stack",
    async (_name, rule) => {
      const outcome = await runStackRule(rule, program().map(asDeployed));
      expect(outcome).toEqual({ violations: [] });
    },
  );
});

describe(publicAccessBlockComplete.name, () => {
  test("fails when one setting is off, and names it", async () => {
    const block = declared(sseS3Program, TYPES.publicAccessBlock);
    block.props.blockPublicPolicy = false;
    const outcome = await runResourceRule(publicAccessBlockComplete, block);
    expect(messages(outcome)).toEqual([expect.stringMatching(/leaves blockPublicPolicy off: set all of .* to true/)]);
  });

  test("fails when a setting is left unset", async () => {
    const block = declared(sseS3Program, TYPES.publicAccessBlock);
    delete block.props.restrictPublicBuckets;
    expect(messages(await runResourceRule(publicAccessBlockComplete, block))).toEqual([
      expect.stringContaining("leaves restrictPublicBuckets off"),
    ]);
  });

  test("does not apply to other resource types", async () => {
    const outcome = await runResourceRule(publicAccessBlockComplete, declared(sseS3Program, TYPES.bucket));
    expect(outcome.notApplicable).toContain(TYPES.publicAccessBlock);
  });
});

describe(defaultEncryption.name, () => {
  test("fails when AES256 is replaced by nothing", async () => {
    const encryption = declared(sseS3Program, TYPES.encryption);
    delete encryption.props.rules[0].applyServerSideEncryptionByDefault;
    expect(messages(await runResourceRule(defaultEncryption, encryption))).toEqual([
      expect.stringMatching(/has no default encryption .*: give each rule .*sseAlgorithm "AES256"/),
    ]);
  });

  test("fails on an unknown algorithm and on no rules at all", async () => {
    const encryption = declared(sseS3Program, TYPES.encryption);
    encryption.props.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm = "none";
    expect(messages(await runResourceRule(defaultEncryption, encryption))).toEqual([expect.stringContaining("(found none)")]);
    encryption.props.rules = [];
    expect(messages(await runResourceRule(defaultEncryption, encryption))).toEqual([expect.stringContaining("(found no rules)")]);
  });
});

describe(tlsOnlyBucketPolicy.name, () => {
  test("fails on a bucket policy without the TLS deny", async () => {
    const policy = withDocument(declared(sseS3Program, TYPES.bucketPolicy), "policy", (doc) => {
      doc.Statement = [];
    });
    expect(messages(await runResourceRule(tlsOnlyBucketPolicy, policy))).toEqual([
      expect.stringMatching(/does not deny requests without TLS: add a statement with Effect "Deny"/),
    ]);
  });

  test.each([
    ["the condition tests for TLS instead of its absence", (s: any) => (s.Condition.Bool["aws:SecureTransport"] = "true")],
    ["it allows instead of denying", (s: any) => (s.Effect = "Allow")],
    ["it spares the objects", (s: any) => (s.Resource = s.Resource.filter((r: string) => !r.endsWith("/*")))],
    ["it denies one principal only", (s: any) => (s.Principal = { AWS: `arn:aws:iam::${TEST_ACCOUNT_ID}:root` })],
    ["it denies reads only", (s: any) => (s.Action = "s3:GetObject")],
  ])("fails when %s", async (_case, edit) => {
    const policy = withDocument(declared(sseS3Program, TYPES.bucketPolicy), "policy", (doc) => edit(doc.Statement[0]));
    expect(messages(await runResourceRule(tlsOnlyBucketPolicy, policy))).toHaveLength(1);
  });

  test("fails on a policy that is not JSON", async () => {
    const policy = declared(sseS3Program, TYPES.bucketPolicy);
    policy.props.policy = "{not json";
    expect(messages(await runResourceRule(tlsOnlyBucketPolicy, policy))).toEqual([
      expect.stringContaining("not a readable JSON policy document"),
    ]);
  });

  test("accepts the document as an object, as the AWS provider does", async () => {
    const policy = declared(sseS3Program, TYPES.bucketPolicy);
    policy.props.policy = JSON.parse(policy.props.policy);
    expect(messages(await runResourceRule(tlsOnlyBucketPolicy, policy))).toEqual([]);
  });
});

describe(lifecycleExpirationBounded.name, () => {
  test("fails when objects expire after 4000 days, beyond the default bound", async () => {
    const lifecycle = declared(sseS3Program, TYPES.lifecycle);
    lifecycle.props.rules[0].expiration.days = 4000;
    expect(messages(await runResourceRule(lifecycleExpirationBounded, lifecycle))).toEqual([
      expect.stringMatching(/expires objects only after 4000 days: .*expiration.days between 1 and 3650/),
    ]);
  });

  test("follows the policy config's maxExpirationDays", async () => {
    const lifecycle = declared(sseS3Program, TYPES.lifecycle);
    expect(lifecycle.props.rules[0].expiration.days).toBe(7);
    expect(messages(await runResourceRule(lifecycleExpirationBounded, lifecycle, { maxExpirationDays: 5 }))).toEqual([
      expect.stringContaining("between 1 and 5"),
    ]);
    expect(messages(await runResourceRule(lifecycleExpirationBounded, lifecycle, { maxExpirationDays: 7 }))).toEqual([]);
  });

  test.each([
    ["the rule is disabled", (rule: any) => (rule.status = "Disabled")],
    ["the rule has no expiration", (rule: any) => delete rule.expiration],
    ["the rule only covers a prefix", (rule: any) => (rule.filter = { prefix: "imports/" })],
    ["the rule expires after 0 days", (rule: any) => (rule.expiration.days = 0)],
  ])("fails when %s", async (_case, edit) => {
    const lifecycle = declared(sseS3Program, TYPES.lifecycle);
    edit(lifecycle.props.rules[0]);
    expect(messages(await runResourceRule(lifecycleExpirationBounded, lifecycle))).toHaveLength(1);
  });
});

describe(bucketHardeningPresent.name, () => {
  const without = (program: CapturedResource[], ...types: string[]) =>
    program.filter((r) => !types.includes(r.type)).map(asDeployed);

  test.each([
    [TYPES.publicAccessBlock, "aws.s3.BucketPublicAccessBlock"],
    [TYPES.encryption, "aws.s3.BucketServerSideEncryptionConfiguration"],
    [TYPES.bucketPolicy, "aws.s3.BucketPolicy"],
    [TYPES.lifecycle, "aws.s3.BucketLifecycleConfiguration"],
  ])("fails on the bucket when its %s is missing", async (type, named) => {
    const outcome = await runStackRule(bucketHardeningPresent, without(sseS3Program, type));
    const bucket = declared(sseS3Program, TYPES.bucket);
    expect(outcome.violations).toEqual([
      {
        message: expect.stringMatching(new RegExp(`^Bucket "${bucket.props.bucket}" is missing .*\\(${named}\\): declare them`)),
        urn: expect.stringContaining(TYPES.bucket),
      },
    ]);
  });

  test("fails when hardening belongs to another bucket", async () => {
    const resources = sseS3Program
      .map(asDeployed)
      .map((r) => (r.type === TYPES.lifecycle ? { ...r, props: { ...r.props, bucket: "some-other-bucket" } } : r));
    expect(messages(await runStackRule(bucketHardeningPresent, resources))).toEqual([
      expect.stringContaining("is missing an expiring lifecycle configuration"),
    ]);
  });

  test("names everything missing in one violation", async () => {
    const hardening = [TYPES.publicAccessBlock, TYPES.encryption, TYPES.bucketPolicy, TYPES.lifecycle];
    const outcome = await runStackRule(bucketHardeningPresent, without(sseS3Program, ...hardening));
    expect(messages(outcome)).toEqual([
      expect.stringMatching(/public access block.*default encryption.*TLS-only bucket policy.*lifecycle configuration/),
    ]);
  });

  test("does not apply to a stack without buckets", async () => {
    const outcome = await runStackRule(bucketHardeningPresent, without(sseS3Program, TYPES.bucket));
    expect(outcome.violations).toEqual([]);
    expect(outcome.notApplicable).toContain("aws.s3.Bucket");
  });
});

describe(noWildcardPermissions.name, () => {
  const censusPolicy = () => declared(sseS3Program, TYPES.policy, "-census-policy");

  test('fails on Action "s3:*" and on Action "*"', async () => {
    const policy = withDocument(censusPolicy(), "policy", (doc) => {
      doc.Statement[0].Action = "s3:*";
      doc.Statement[1].Action = ["s3:GetObject", "*"];
    });
    expect(messages(await runResourceRule(noWildcardPermissions, policy))).toEqual([
      expect.stringMatching(/statement "StagingBucket", allows every action of "s3:\*": list the specific actions it needs/),
      expect.stringMatching(/statement "StagingObjects", allows every action of "\*"/),
    ]);
  });

  test('fails on Resource "*"', async () => {
    const policy = withDocument(censusPolicy(), "policy", (doc) => {
      doc.Statement[2].Resource = "*";
    });
    expect(messages(await runResourceRule(noWildcardPermissions, policy))).toEqual([
      expect.stringMatching(/statement "PinpointProject", allows Resource "\*": name the ARNs it needs/),
    ]);
  });

  test("fails on Allow with NotAction", async () => {
    const policy = withDocument(censusPolicy(), "policy", (doc) => {
      doc.Statement[0].NotAction = "iam:*";
      delete doc.Statement[0].Action;
    });
    expect(messages(await runResourceRule(noWildcardPermissions, policy))).toEqual([
      expect.stringContaining("uses NotAction with Allow"),
    ]);
  });

  test("lets a Deny use wildcards", async () => {
    const policy = withDocument(censusPolicy(), "policy", (doc) => {
      doc.Statement.push({ Effect: "Deny", Action: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    });
    expect(messages(await runResourceRule(noWildcardPermissions, policy))).toEqual([]);
  });

  test("checks inline policies of roles and standalone role policies", async () => {
    const role = declared(sseS3Program, TYPES.role);
    const admin = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
    role.props.inlinePolicies = [{ name: "admin", policy: JSON.stringify(admin) }];
    expect(messages(await runResourceRule(noWildcardPermissions, role))).toEqual([
      expect.stringContaining('The inline policy "admin" of role'),
      expect.stringContaining('The inline policy "admin" of role'),
    ]);
    const rolePolicy = {
      type: "aws:iam/rolePolicy:RolePolicy",
      name: "inline",
      props: { role: "r", policy: JSON.stringify(admin) },
    };
    expect(messages(await runResourceRule(noWildcardPermissions, rolePolicy))).toHaveLength(2);
  });

  test("fails on a policy that is not JSON", async () => {
    const policy = censusPolicy();
    policy.props.policy = "";
    expect(messages(await runResourceRule(noWildcardPermissions, policy))).toEqual([
      expect.stringContaining("not a readable JSON policy document"),
    ]);
  });
});

describe(serviceTrustSourceAccount.name, () => {
  const importerRole = () => declared(sseS3Program, TYPES.role);

  test("fails on a trust policy without the aws:SourceAccount condition", async () => {
    const role = withDocument(importerRole(), "assumeRolePolicy", (doc) => {
      delete doc.Statement[0].Condition;
    });
    expect(messages(await runResourceRule(serviceTrustSourceAccount, role))).toEqual([
      expect.stringMatching(/lets pinpoint\.amazonaws\.com assume the role for any account: add Condition .*"aws:SourceAccount"/),
    ]);
  });

  test.each([
    ["matches any account", (condition: any) => (condition.StringEquals["aws:SourceAccount"] = "*")],
    ["is only tested for when present", (condition: any) => {
      condition.StringEqualsIfExists = condition.StringEquals;
      delete condition.StringEquals;
    }],
    ["excludes an account instead", (condition: any) => {
      condition.StringNotEquals = condition.StringEquals;
      delete condition.StringEquals;
    }],
  ])("fails when the condition %s", async (_case, edit) => {
    const role = withDocument(importerRole(), "assumeRolePolicy", (doc) => edit(doc.Statement[0].Condition));
    expect(messages(await runResourceRule(serviceTrustSourceAccount, role))).toHaveLength(1);
  });

  test("matches the condition key case-insensitively, as IAM does", async () => {
    const role = withDocument(importerRole(), "assumeRolePolicy", (doc) => {
      doc.Statement[0].Condition.StringEquals = { "AWS:SourceAccount": TEST_ACCOUNT_ID };
    });
    expect(messages(await runResourceRule(serviceTrustSourceAccount, role))).toEqual([]);
  });

  test("leaves trust in AWS principals to other controls", async () => {
    const role = withDocument(importerRole(), "assumeRolePolicy", (doc) => {
      doc.Statement[0].Principal = { AWS: `arn:aws:iam::${TEST_ACCOUNT_ID}:root` };
      delete doc.Statement[0].Condition;
    });
    expect(messages(await runResourceRule(serviceTrustSourceAccount, role))).toEqual([]);
  });
});
