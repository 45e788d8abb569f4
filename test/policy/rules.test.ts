import { readFileSync } from "node:fs";
import { COMPONENT_TYPE as PROGRAM_COMPONENT_TYPE } from "../../infra/component.js";
import { TEST_ACCOUNT_ID, TEST_PROJECT_ID } from "../helpers/pulumiMocks.js";
import {
  COMPONENT_TYPE,
  DEFAULT_MAX_EXPIRATION_DAYS,
  bucketHardeningPresent,
  componentPoliciesOnly,
  defaultEncryption,
  lifecycleExpirationBounded,
  noUserPolicies,
  noWildcardPermissions,
  objectOwnershipEnforced,
  pinpointTrustSourceArn,
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
  type ProgramResource,
  type ResourceUnderTest,
} from "./policyHarness.js";

const KMS_KEY_ARN = `arn:aws:kms:us-east-1:${TEST_ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const BASE_CONFIG = { "aws:region": "us-east-1", "census-pinpoint:pinpointProjectId": TEST_PROJECT_ID };

const TYPES = {
  bucket: "aws:s3/bucket:Bucket",
  publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  policy: "aws:iam/policy:Policy",
  role: "aws:iam/role:Role",
  user: "aws:iam/user:User",
  group: "aws:iam/group:Group",
  rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  userGroupMembership: "aws:iam/userGroupMembership:UserGroupMembership",
};

/** What Census's guide suggested for the importer role: it reads every bucket of the account. */
const S3_READ_ONLY = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";

let sseS3Program: ProgramResource[];
let sseKmsProgram: ProgramResource[];

beforeAll(async () => {
  sseS3Program = await captureProgram(BASE_CONFIG);
  sseKmsProgram = await captureProgram({ ...BASE_CONFIG, "census-pinpoint:kmsKeyArn": KMS_KEY_ARN });
});

function declared(program: ProgramResource[], type: string, nameSuffix = ""): ResourceUnderTest {
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

  test("lets a policy config set the lifecycle bound, 30 days unless set", () => {
    expect(DEFAULT_MAX_EXPIRATION_DAYS).toBe(30);
    expect(lifecycleExpirationBounded.configSchema?.properties.maxExpirationDays).toMatchObject({
      type: "integer",
      default: 30,
    });
  });

  test("is described rule by rule in policy/README.md", () => {
    const readme = readFileSync(new URL("../../policy/README.md", import.meta.url), "utf8");
    const documented = [...readme.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((match) => match[1]);
    expect(documented).toEqual(postureRules.map((rule) => rule.name));
  });

  test("knows the component by the type the program gives it", () => {
    expect(COMPONENT_TYPE).toBe(PROGRAM_COMPONENT_TYPE);
  });
});

test("the harness gives the program's resources their parents, with URNs shaped as the engine's", () => {
  const importerPolicy = sseS3Program.find((r) => r.type === TYPES.policy && r.name.endsWith("-importer-policy"))!;
  expect(importerPolicy.parent).toBe(
    `urn:pulumi:test::census-pinpoint::${COMPONENT_TYPE}$${TYPES.role}::census-pinpoint-importer-role`,
  );
  expect(sseS3Program.find((r) => r.type === COMPONENT_TYPE)!.parent).toBeUndefined();
});

test("the two program runs differ in their default encryption", () => {
  const algorithm = (program: ProgramResource[]) =>
    declared(program, TYPES.encryption).props.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm;
  expect([algorithm(sseS3Program), algorithm(sseKmsProgram)]).toEqual(["AES256", "aws:kms"]);
});

describe.each([
  ["SSE-S3", () => sseS3Program],
  ["SSE-KMS", () => sseKmsProgram],
])("the program (%s) passes every rule", (_variant, program) => {
  // The program gives no user a policy of its own, so that rule meets none of the types it checks.
  const appliesToNone = [noUserPolicies.name];

  test.each(postureRules.filter(isResourceRule).map((rule) => [rule.name, rule] as const))(
    "%s: no violation on any resource, and it applies to at least one (or, for iam-no-user-policies, to none)",
    async (name, rule) => {
      let applied = 0;
      for (const resource of program()) {
        const outcome = await runResourceRule(rule, asDeclared(resource));
        expect({ resource: resource.name, violations: messages(outcome) }).toEqual({ resource: resource.name, violations: [] });
        if (outcome.notApplicable === undefined) applied++;
      }
      if (appliesToNone.includes(name)) expect(applied).toBe(0);
      else expect(applied).toBeGreaterThan(0);
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
  test("fails when objects expire after 31 days, beyond the default bound, and passes at 30", async () => {
    const lifecycle = declared(sseS3Program, TYPES.lifecycle);
    lifecycle.props.rules[0].expiration.days = 31;
    expect(messages(await runResourceRule(lifecycleExpirationBounded, lifecycle))).toEqual([
      expect.stringMatching(/expires objects only after 31 days: .*expiration.days between 1 and 30/),
    ]);
    lifecycle.props.rules[0].expiration.days = 30;
    expect(messages(await runResourceRule(lifecycleExpirationBounded, lifecycle))).toEqual([]);
  });

  test("follows the policy config's maxExpirationDays", async () => {
    const lifecycle = declared(sseS3Program, TYPES.lifecycle);
    expect(lifecycle.props.rules[0].expiration.days).toBe(7);
    expect(messages(await runResourceRule(lifecycleExpirationBounded, lifecycle, { maxExpirationDays: 5 }))).toEqual([
      expect.stringContaining("between 1 and 5"),
    ]);
    expect(messages(await runResourceRule(lifecycleExpirationBounded, lifecycle, { maxExpirationDays: 7 }))).toEqual([]);
    lifecycle.props.rules[0].expiration.days = 3650;
    expect(messages(await runResourceRule(lifecycleExpirationBounded, lifecycle, { maxExpirationDays: 3650 }))).toEqual([]);
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
  const without = (program: ProgramResource[], ...types: string[]) =>
    program.filter((r) => !types.includes(r.type)).map(asDeployed);

  test.each([
    [TYPES.publicAccessBlock, "aws.s3.BucketPublicAccessBlock"],
    [TYPES.ownership, "aws.s3.BucketOwnershipControls with BucketOwnerEnforced"],
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
    const hardening = [TYPES.publicAccessBlock, TYPES.ownership, TYPES.encryption, TYPES.bucketPolicy, TYPES.lifecycle];
    const outcome = await runStackRule(bucketHardeningPresent, without(sseS3Program, ...hardening));
    expect(messages(outcome)).toEqual([
      expect.stringMatching(/public access block.*object-ownership enforcement.*default encryption.*TLS-only bucket policy.*lifecycle configuration/),
    ]);
  });

  test("does not apply to a stack without buckets", async () => {
    const outcome = await runStackRule(bucketHardeningPresent, without(sseS3Program, TYPES.bucket));
    expect(outcome.violations).toEqual([]);
    expect(outcome.notApplicable).toContain("aws.s3.Bucket");
  });
});

describe(objectOwnershipEnforced.name, () => {
  test.each([
    ["ObjectWriter", (rule: any) => (rule.objectOwnership = "ObjectWriter"), '"ObjectWriter"'],
    ["BucketOwnerPreferred", (rule: any) => (rule.objectOwnership = "BucketOwnerPreferred"), '"BucketOwnerPreferred"'],
    ["no setting", (rule: any) => delete rule.objectOwnership, "no object ownership"],
  ])("fails on %s, and says what to set", async (_case, edit, found) => {
    const controls = declared(sseS3Program, TYPES.ownership);
    edit(controls.props.rule);
    expect(messages(await runResourceRule(objectOwnershipEnforced, controls))).toEqual([
      `The ownership controls of bucket "${controls.props.bucket}" set ${found}, which leaves ACLs on: ` +
        `set rule.objectOwnership to "BucketOwnerEnforced".`,
    ]);
  });

  test("passes BucketOwnerEnforced, which the program sets", async () => {
    const controls = declared(sseS3Program, TYPES.ownership);
    expect(controls.props.rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
    expect(messages(await runResourceRule(objectOwnershipEnforced, controls))).toEqual([]);
  });
});

describe(noWildcardPermissions.name, () => {
  const censusPolicy = () => declared(sseS3Program, TYPES.policy, "-census-policy");
  const importerPolicy = () => declared(sseS3Program, TYPES.policy, "-importer-policy");

  test('fails on Action "s3:*" and on Action "*"', async () => {
    const policy = withDocument(censusPolicy(), "policy", (doc) => {
      doc.Statement[0].Action = "s3:*";
      doc.Statement[1].Action = ["s3:GetObject", "*"];
    });
    expect(messages(await runResourceRule(noWildcardPermissions, policy))).toEqual([
      expect.stringMatching(/statement "StagingBucket", allows actions by wildcard \("s3:\*"\): list the specific actions it needs/),
      expect.stringMatching(/statement "StagingObjects", allows actions by wildcard \("\*"\)/),
    ]);
  });

  test.each(["s3:Get*", "s3:*Object", "mobiletargeting:Get?egment", "iam:Pass*"])('fails on the partial wildcard action "%s"', async (action) => {
    const policy = withDocument(importerPolicy(), "policy", (doc) => {
      doc.Statement[0].Action = action;
    });
    expect(messages(await runResourceRule(noWildcardPermissions, policy))).toEqual([
      expect.stringContaining(`statement "ReadStagedFiles", allows actions by wildcard ("${action}")`),
    ]);
  });

  test('fails on Resource "*"', async () => {
    const policy = withDocument(censusPolicy(), "policy", (doc) => {
      doc.Statement[2].Resource = "*";
    });
    expect(messages(await runResourceRule(noWildcardPermissions, policy))).toEqual([
      expect.stringMatching(/statement "PinpointProject", allows resources by wildcard \("\*"\): name the ARNs it needs/),
    ]);
  });

  test.each([
    ["every bucket", "arn:aws:s3:::*"],
    ["every object of every bucket", "arn:aws:s3:::*/*"],
    ["buckets by prefix", "arn:aws:s3:::census-pinpoint-*/*"],
    ["one character of the bucket name", "arn:aws:s3:::census-pinpoint-staging-0123456?-123456789012-us-east-1/*"],
    ["objects by key prefix", "arn:aws:s3:::census-pinpoint-staging-01234567-123456789012-us-east-1/imports*"],
    ["every Pinpoint project", `arn:aws:mobiletargeting:us-east-1:${TEST_ACCOUNT_ID}:apps/*`],
    ["projects whose ID starts with this one's", `arn:aws:mobiletargeting:us-east-1:${TEST_ACCOUNT_ID}:apps/${TEST_PROJECT_ID}*`],
    ["the project in every region", `arn:aws:mobiletargeting:*:${TEST_ACCOUNT_ID}:apps/${TEST_PROJECT_ID}/*`],
    ["every role of the account", `arn:aws:iam::${TEST_ACCOUNT_ID}:role/*`],
  ])("fails on a resource wildcard over %s", async (_case, resource) => {
    const policy = withDocument(censusPolicy(), "policy", (doc) => {
      doc.Statement[0].Resource = [doc.Statement[0].Resource, resource];
    });
    expect(messages(await runResourceRule(noWildcardPermissions, policy))).toEqual([
      expect.stringContaining(`statement "StagingBucket", allows resources by wildcard ("${resource}")`),
    ]);
  });

  test("passes the two wildcards the component needs: one bucket's objects and what lies under one project", async () => {
    const document = JSON.parse(censusPolicy().props.policy);
    const resources = document.Statement.flatMap((statement: any) => [statement.Resource].flat());
    expect(resources.filter((resource: string) => resource.includes("*"))).toEqual([
      "arn:aws:s3:::census-pinpoint-staging-01234567-123456789012-us-east-1/*",
      `arn:aws:mobiletargeting:us-east-1:${TEST_ACCOUNT_ID}:apps/${TEST_PROJECT_ID}/*`,
    ]);
    expect(messages(await runResourceRule(noWildcardPermissions, censusPolicy()))).toEqual([]);
    const govCloud = withDocument(censusPolicy(), "policy", (doc) => {
      doc.Statement[1].Resource = "arn:aws-us-gov:s3:::census-pinpoint-staging-01234567-123456789012-us-gov-west-1/*";
    });
    expect(messages(await runResourceRule(noWildcardPermissions, govCloud))).toEqual([]);
  });

  test("fails on Allow with NotAction", async () => {
    const policy = withDocument(censusPolicy(), "policy", (doc) => {
      doc.Statement[0].NotAction = "iam:PassRole";
      delete doc.Statement[0].Action;
    });
    expect(messages(await runResourceRule(noWildcardPermissions, policy))).toEqual([
      expect.stringContaining("uses NotAction with Allow"),
    ]);
  });

  test("lets a Deny use wildcards", async () => {
    const policy = withDocument(censusPolicy(), "policy", (doc) => {
      doc.Statement.push({ Effect: "Deny", Action: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
      doc.Statement.push({ Effect: "Deny", Action: "s3:Delete*", Resource: "arn:aws:s3:::*" });
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

describe(noUserPolicies.name, () => {
  const userName = () => declared(sseS3Program, TYPES.user).props.name as string;
  const censusPolicyArn = () => `arn:aws:iam::${TEST_ACCOUNT_ID}:policy/${userName()}-access`;
  const document = () => declared(sseS3Program, TYPES.policy, "-census-policy").props.policy as string;

  test.each([
    ["an inline policy (aws.iam.UserPolicy)", "aws:iam/userPolicy:UserPolicy", () => ({ user: userName(), policy: document() }), "aws.iam.UserPolicy"],
    [
      "the component's own policy attached to the user (aws.iam.UserPolicyAttachment)",
      "aws:iam/userPolicyAttachment:UserPolicyAttachment",
      () => ({ user: userName(), policyArn: censusPolicyArn() }),
      "aws.iam.UserPolicyAttachment",
    ],
    [
      "AmazonS3ReadOnlyAccess for the user and a role (aws.iam.PolicyAttachment)",
      "aws:iam/policyAttachment:PolicyAttachment",
      () => ({ name: "s3-read", policyArn: S3_READ_ONLY, users: [userName()], roles: ["some-role"] }),
      "aws.iam.PolicyAttachment",
    ],
    [
      "managed policies held exclusively by the user",
      "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive",
      () => ({ userName: userName(), policyArns: [censusPolicyArn()] }),
      "aws.iam.UserPolicyAttachmentsExclusive",
    ],
  ])("fails on %s, even with a least-privilege policy (Security Hub IAM.2)", async (_case, type, props, label) => {
    const outcome = await runResourceRule(noUserPolicies, { type, name: "direct", props: props() });
    expect(messages(outcome)).toEqual([
      `${label} "direct" gives user "${userName()}" a policy of its own: attach the policy to a group the user belongs to instead.`,
    ]);
  });

  test.each([
    ["a policy attachment to roles and groups only", "aws:iam/policyAttachment:PolicyAttachment", { name: "shared", policyArn: S3_READ_ONLY, roles: ["r"], groups: ["g"] }],
    ["an exclusive list that detaches every managed policy from the user", "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive", { userName: "u", policyArns: [] }],
  ])("passes %s", async (_case, type, props) => {
    const outcome = await runResourceRule(noUserPolicies, { type, name: "fine", props });
    expect(outcome).toEqual({ violations: [] });
  });

  test("does not apply to the user's group membership, which is how the program grants", async () => {
    const outcome = await runResourceRule(noUserPolicies, declared(sseS3Program, TYPES.userGroupMembership));
    expect(outcome.violations).toEqual([]);
    expect(outcome.notApplicable).toContain("aws.iam.UserPolicy");
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

describe(pinpointTrustSourceArn.name, () => {
  const importerRole = () => declared(sseS3Program, TYPES.role);
  const appArn = `arn:aws:mobiletargeting:us-east-1:${TEST_ACCOUNT_ID}:apps/${TEST_PROJECT_ID}`;
  const sourceArnRule = (edit: (condition: any) => void) =>
    withDocument(importerRole(), "assumeRolePolicy", (doc) => edit(doc.Statement[0].Condition));

  test("passes the program's trust: the project and what lies under it", async () => {
    const condition = JSON.parse(importerRole().props.assumeRolePolicy).Statement[0].Condition;
    expect(condition.ArnLike["aws:SourceArn"]).toEqual([appArn, `${appArn}/*`]);
    expect(messages(await runResourceRule(pinpointTrustSourceArn, importerRole()))).toEqual([]);
  });

  test.each([
    ["the project's ARN alone, under ArnEquals", (condition: any) => {
      delete condition.ArnLike;
      condition.ArnEquals = { "aws:SourceArn": appArn };
    }],
    ["StringEquals and a key written in another case", (condition: any) => {
      delete condition.ArnLike;
      condition.StringEquals["AWS:SourceArn"] = appArn;
    }],
  ])("passes %s", async (_case, edit) => {
    expect(messages(await runResourceRule(pinpointTrustSourceArn, sourceArnRule(edit)))).toEqual([]);
  });

  test("fails on a trust pinned to the account alone, which the source-account rule passes", async () => {
    const role = sourceArnRule((condition) => delete condition.ArnLike);
    expect(messages(await runResourceRule(pinpointTrustSourceArn, role))).toEqual([
      expect.stringMatching(
        /statement "PinpointImportsForThisProjectOnly", lets pinpoint\.amazonaws\.com assume the role for any Pinpoint project: add Condition \{"ArnLike": \{"aws:SourceArn"/,
      ),
    ]);
    expect(messages(await runResourceRule(serviceTrustSourceAccount, role))).toEqual([]);
  });

  test("fails, with the source-account rule, on Census's guide's trust without any condition", async () => {
    const role = withDocument(importerRole(), "assumeRolePolicy", (doc) => delete doc.Statement[0].Condition);
    expect(messages(await runResourceRule(pinpointTrustSourceArn, role))).toEqual([expect.stringContaining("for any Pinpoint project")]);
    expect(messages(await runResourceRule(serviceTrustSourceAccount, role))).toEqual([expect.stringContaining("for any account")]);
  });

  test.each([
    ["a prefix of the project ID", `${appArn}*`],
    ["every project", `arn:aws:mobiletargeting:us-east-1:${TEST_ACCOUNT_ID}:apps/*`],
    ["any account", `arn:aws:mobiletargeting:us-east-1:*:apps/${TEST_PROJECT_ID}`],
    ["any region", `arn:aws:mobiletargeting:*:${TEST_ACCOUNT_ID}:apps/${TEST_PROJECT_ID}/*`],
    ["everything", "*"],
    ["another service's ARN", `arn:aws:s3:::census-pinpoint-staging-01234567-${TEST_ACCOUNT_ID}-us-east-1`],
  ])("fails on aws:SourceArn matching %s", async (_case, loose) => {
    const role = sourceArnRule((condition) => (condition.ArnLike["aws:SourceArn"] = [appArn, loose]));
    expect(messages(await runResourceRule(pinpointTrustSourceArn, role))).toEqual([
      `The trust policy of role "${importerRole().name}", statement "PinpointImportsForThisProjectOnly", admits aws:SourceArn "${loose}", ` +
        `which is not one Pinpoint project: use "arn:<partition>:mobiletargeting:<region>:<account>:apps/<project ID>" and ".../apps/<project ID>/*".`,
    ]);
  });

  test.each([
    ["is only tested for when present", (condition: any) => {
      condition.ArnLikeIfExists = condition.ArnLike;
      delete condition.ArnLike;
    }],
    ["excludes a project instead", (condition: any) => {
      condition.ArnNotLike = condition.ArnLike;
      delete condition.ArnLike;
    }],
  ])("fails when the aws:SourceArn condition %s", async (_case, edit) => {
    expect(messages(await runResourceRule(pinpointTrustSourceArn, sourceArnRule(edit)))).toEqual([
      expect.stringContaining("for any Pinpoint project"),
    ]);
  });

  test("holds a trust written for mobiletargeting.amazonaws.com to the same, and leaves other services alone", async () => {
    const asMobiletargeting = withDocument(importerRole(), "assumeRolePolicy", (doc) => {
      doc.Statement[0].Principal.Service = "mobiletargeting.amazonaws.com";
      delete doc.Statement[0].Condition.ArnLike;
    });
    expect(messages(await runResourceRule(pinpointTrustSourceArn, asMobiletargeting))).toEqual([
      expect.stringContaining("lets mobiletargeting.amazonaws.com assume the role for any Pinpoint project"),
    ]);
    const lambda = withDocument(importerRole(), "assumeRolePolicy", (doc) => {
      doc.Statement[0].Principal.Service = "lambda.amazonaws.com";
      delete doc.Statement[0].Condition.ArnLike;
    });
    expect(messages(await runResourceRule(pinpointTrustSourceArn, lambda))).toEqual([]);
  });
});

describe(componentPoliciesOnly.name, () => {
  const deployed = (program: ProgramResource[] = sseS3Program) => program.map(asDeployed);
  const nameOf = (type: string) => declared(sseS3Program, type).props.name as string;
  /** A resource a program declares beside the component, at the stack's top level. */
  const beside = (type: string, name: string, props: Record<string, unknown>): ResourceUnderTest => ({ type, name, props });
  /** The deployed program, with the component's own resource of `type` (ending in `nameSuffix`) edited. */
  const withChanged = (type: string, nameSuffix: string, edit: (props: any) => void) =>
    deployed().map((resource) => {
      if (resource.type !== type || !resource.name.endsWith(nameSuffix)) return resource;
      const props = structuredClone(resource.props);
      edit(props);
      return { ...resource, props };
    });
  const otherRolePolicy = `arn:aws:iam::${TEST_ACCOUNT_ID}:policy/reporting-read`;

  test.each([
    ["SSE-S3", () => sseS3Program],
    ["SSE-KMS", () => sseKmsProgram],
  ])("passes the program (%s), whose principals hold the component's policies only", async (_variant, program) => {
    expect(await runStackRule(componentPoliciesOnly, deployed(program()))).toEqual({ violations: [] });
  });

  test.each([
    [
      "AmazonS3ReadOnlyAccess on the importer role (aws.iam.RolePolicyAttachment), as Census's guide suggests",
      () => beside("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "guide-s3-read", { role: nameOf(TYPES.role), policyArn: S3_READ_ONLY }),
      () => `aws.iam.RolePolicyAttachment "guide-s3-read" gives the role "${nameOf(TYPES.role)}"`,
    ],
    [
      "a customer managed policy on the Census group (aws.iam.GroupPolicyAttachment)",
      () => beside("aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "reporting", { group: nameOf(TYPES.group), policyArn: otherRolePolicy }),
      () => `aws.iam.GroupPolicyAttachment "reporting" gives the group "${nameOf(TYPES.group)}"`,
    ],
    [
      "one policy on both (aws.iam.PolicyAttachment), the role named in other letter case",
      () =>
        beside("aws:iam/policyAttachment:PolicyAttachment", "shared", {
          name: "shared",
          policyArn: S3_READ_ONLY,
          roles: [nameOf(TYPES.role).toLowerCase()],
          groups: [nameOf(TYPES.group)],
        }),
      () => `aws.iam.PolicyAttachment "shared" gives the role "${nameOf(TYPES.role).toLowerCase()}" and group "${nameOf(TYPES.group)}"`,
    ],
    [
      "an exclusive list of managed policies for the role",
      () =>
        beside("aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", "exclusive", {
          roleName: nameOf(TYPES.role),
          policyArns: [S3_READ_ONLY],
        }),
      () => `aws.iam.RolePolicyAttachmentsExclusive "exclusive" gives the role "${nameOf(TYPES.role)}"`,
    ],
    [
      "an exclusive list of managed policies for the group",
      () =>
        beside("aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive", "exclusive", {
          groupName: nameOf(TYPES.group),
          policyArns: [otherRolePolicy],
        }),
      () => `aws.iam.GroupPolicyAttachmentsExclusive "exclusive" gives the group "${nameOf(TYPES.group)}"`,
    ],
    [
      "an inline policy on the role (aws.iam.RolePolicy)",
      () => beside("aws:iam/rolePolicy:RolePolicy", "extra", { role: nameOf(TYPES.role), policy: "{}" }),
      () => `aws.iam.RolePolicy "extra" gives the role "${nameOf(TYPES.role)}"`,
    ],
    [
      "an inline policy on the group (aws.iam.GroupPolicy)",
      () => beside("aws:iam/groupPolicy:GroupPolicy", "extra", { group: nameOf(TYPES.group), policy: "{}" }),
      () => `aws.iam.GroupPolicy "extra" gives the group "${nameOf(TYPES.group)}"`,
    ],
    [
      "the Census user in another group (aws.iam.UserGroupMembership)",
      () => beside("aws:iam/userGroupMembership:UserGroupMembership", "admins", { user: nameOf(TYPES.user), groups: ["admins"] }),
      () => `aws.iam.UserGroupMembership "admins" gives the user "${nameOf(TYPES.user)}"`,
    ],
    [
      "another group listing the Census user (aws.iam.GroupMembership)",
      () => beside("aws:iam/groupMembership:GroupMembership", "admins", { name: "admins", group: "admins", users: ["alice", nameOf(TYPES.user)] }),
      () => `aws.iam.GroupMembership "admins" gives the user "${nameOf(TYPES.user)}"`,
    ],
  ])("fails on %s declared beside the component", async (_case, extra, start) => {
    const outcome = await runStackRule(componentPoliciesOnly, [...deployed(), extra()]);
    expect(outcome.violations).toEqual([
      {
        message: `${start()} of component "census-pinpoint" permissions the component does not: remove it (docs/permissions.md lists all that Census and Pinpoint need).`,
        urn: `urn:pulumi:test::census-pinpoint::${extra().type}::${extra().name}`,
      },
    ]);
  });

  test("passes attachments and memberships of other principals in the same stack", async () => {
    const others = [
      beside("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "reporting-s3", { role: "reporting", policyArn: S3_READ_ONLY }),
      beside("aws:iam/policyAttachment:PolicyAttachment", "shared", { name: "shared", policyArn: otherRolePolicy, roles: ["reporting"], users: ["alice"] }),
      beside("aws:iam/userGroupMembership:UserGroupMembership", "alice", { user: "alice", groups: ["admins"] }),
    ];
    expect(await runStackRule(componentPoliciesOnly, [...deployed(), ...others])).toEqual({ violations: [] });
  });

  test("leaves a policy attached to the Census user itself to iam-no-user-policies", async () => {
    const direct = beside("aws:iam/userPolicyAttachment:UserPolicyAttachment", "direct", { user: nameOf(TYPES.user), policyArn: S3_READ_ONLY });
    expect(await runStackRule(componentPoliciesOnly, [...deployed(), direct])).toEqual({ violations: [] });
  });

  test.each([
    [
      "its role policy attachment to attach AmazonS3ReadOnlyAccess",
      () => withChanged(TYPES.rolePolicyAttachment, "-importer-policy-attachment", (props) => (props.policyArn = S3_READ_ONLY)),
      "aws.iam.RolePolicyAttachment",
      `policy "${S3_READ_ONLY}"`,
    ],
    [
      "its role to list AmazonS3ReadOnlyAccess in managedPolicyArns",
      () => withChanged(TYPES.role, "-importer-role", (props) => (props.managedPolicyArns = [S3_READ_ONLY])),
      "aws.iam.Role",
      `policy "${S3_READ_ONLY}"`,
    ],
    [
      "its role to hold an inline policy",
      () => withChanged(TYPES.role, "-importer-role", (props) => (props.inlinePolicies = [{ name: "more", policy: "{}" }])),
      "aws.iam.Role",
      'inline policy "more"',
    ],
    [
      "its user's membership to add a group",
      () => withChanged(TYPES.userGroupMembership, "-census-membership", (props) => props.groups.push("admins")),
      "aws.iam.UserGroupMembership",
      'membership of group "admins"',
    ],
  ])("fails when a transform changed %s", async (_case, resources, label, foreign) => {
    expect(messages(await runStackRule(componentPoliciesOnly, resources()))).toEqual([
      expect.stringMatching(
        new RegExp(`^${label.replaceAll(".", "\\.")} "census-pinpoint-[a-z-]+" of component "census-pinpoint" was changed to grant ${foreign.replace(/[.*]/g, "\\$&")}, which the component does not declare`),
      ),
    ]);
  });

  test("passes a role whose state, after a refresh, lists the component's own policy and an empty inline entry", async () => {
    const importerPolicyArn = deployed().find((r) => r.type === TYPES.policy && r.name.endsWith("-importer-policy"))!.props.arn;
    const refreshed = withChanged(TYPES.role, "-importer-role", (props) => {
      props.managedPolicyArns = [importerPolicyArn];
      props.inlinePolicies = [{ name: "", policy: "" }];
    });
    expect(await runStackRule(componentPoliciesOnly, refreshed)).toEqual({ violations: [] });
  });

  test("does not apply to a stack without the component", async () => {
    const outcome = await runStackRule(componentPoliciesOnly, [
      beside("aws:iam/role:Role", "reporting", { name: "reporting" }),
      beside("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "reporting-s3", { role: "reporting", policyArn: S3_READ_ONLY }),
    ]);
    expect(outcome.violations).toEqual([]);
    expect(outcome.notApplicable).toContain(COMPONENT_TYPE);
  });
});
