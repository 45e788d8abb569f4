// The stack program under Pulumi mocks: what would be created in AWS, with which settings and names,
// and what the stack hands back to the user (Census's form fields).
import { byType, oneOfType, TEST_ACCESS_KEY_ID, TEST_ACCOUNT_ID, TEST_PROJECT_ID, TEST_SECRET_KEY } from "../helpers/pulumiMocks.js";
import type { PolicyDocument, PolicyStatement } from "../../infra/policies.js";
import { AWS_TYPES, deployedPolicies, runStack, stackConfig, type StackRun } from "./stackRun.js";

const DEFAULT_BUCKET = `census-pinpoint-staging-01234567-${TEST_ACCOUNT_ID}-eu-west-1`;
const DEFAULT_ROLE = "CensusPinpointSegmentImporter-01234567";
const DEFAULT_USER = "census-pinpoint-01234567";
const CUSTOM_KMS_KEY = `arn:aws:kms:us-east-2:${TEST_ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const TAGS = { "managed-by": "census-pinpoint", "pinpoint-project": TEST_PROJECT_ID };
const BUCKET_SETTINGS = [AWS_TYPES.publicAccessBlock, AWS_TYPES.ownership, AWS_TYPES.encryption, AWS_TYPES.bucketPolicy, AWS_TYPES.lifecycle];

let defaults: StackRun;
let custom: StackRun;
let govCloud: StackRun;

beforeAll(async () => {
  defaults = await runStack(stackConfig("eu-west-1"));
  custom = await runStack(
    stackConfig("us-east-2", {
      bucketName: "acme-census-staging",
      expirationDays: "30",
      importerRoleName: "AcmeCensusImporter",
      censusUserName: "acme-census",
      kmsKeyArn: CUSTOM_KMS_KEY,
    }),
  );
  govCloud = await runStack(stackConfig("us-gov-west-1"));
});

const inputsOf = (run: StackRun, type: string) => oneOfType(run, type).inputs;

function statements(documents: PolicyDocument[]): PolicyStatement[] {
  return documents.flatMap((d) => d.Statement);
}

function asList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

describe("staging bucket", () => {
  test("is created in the configured region with the default name, and can be destroyed with staged files in it", () => {
    expect(inputsOf(defaults, AWS_TYPES.bucket)).toMatchObject({ bucket: DEFAULT_BUCKET, region: "eu-west-1", forceDestroy: true });
  });

  test("every bucket setting applies to that bucket, in the same region", () => {
    for (const type of BUCKET_SETTINGS) {
      expect([type, inputsOf(defaults, type)]).toMatchObject([type, { bucket: DEFAULT_BUCKET, region: "eu-west-1" }]);
    }
  });

  test("blocks every kind of public access", () => {
    expect(inputsOf(defaults, AWS_TYPES.publicAccessBlock)).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
  });

  test("disables ACLs (bucket owner enforced)", () => {
    expect(inputsOf(defaults, AWS_TYPES.ownership).rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
  });

  test("encrypts with SSE-S3 (AES256) when no KMS key is configured", () => {
    expect(inputsOf(defaults, AWS_TYPES.encryption).rules).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
  });

  test("encrypts with the configured KMS key, with an S3 bucket key", () => {
    expect(inputsOf(custom, AWS_TYPES.encryption).rules).toEqual([
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: CUSTOM_KMS_KEY }, bucketKeyEnabled: true },
    ]);
  });

  test("its policy denies every request to the bucket and its objects made without TLS, and nothing else under SSE-S3", () => {
    expect(JSON.parse(inputsOf(defaults, AWS_TYPES.bucketPolicy).policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: expect.any(String),
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [`arn:aws:s3:::${DEFAULT_BUCKET}`, `arn:aws:s3:::${DEFAULT_BUCKET}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    });
  });

  test("under SSE-KMS its policy also refuses uploads that ask for any encryption but the bucket's key", () => {
    const [tls, ...uploads] = JSON.parse(inputsOf(custom, AWS_TYPES.bucketPolicy).policy).Statement as PolicyStatement[];
    expect(tls!.Condition).toEqual({ Bool: { "aws:SecureTransport": "false" } });
    for (const statement of uploads) {
      expect(statement).toMatchObject({ Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: "arn:aws:s3:::acme-census-staging/*" });
    }
    // Every statement is conditioned on a header being present: an upload without one gets the bucket's default.
    expect(uploads.map((s) => s.Condition!.Null)).toEqual([
      { "s3:x-amz-server-side-encryption": "false" },
      { "s3:x-amz-server-side-encryption-aws-kms-key-id": "false" },
      { "s3:x-amz-server-side-encryption": "false", "s3:x-amz-server-side-encryption-aws-kms-key-id": "true" },
      { "s3:x-amz-server-side-encryption-customer-algorithm": "false" },
    ]);
    expect(JSON.stringify(uploads)).toContain(CUSTOM_KMS_KEY);
  });

  test("expires all staged objects after 7 days by default and aborts incomplete uploads after 1 day", () => {
    const rules = inputsOf(defaults, AWS_TYPES.lifecycle).rules;
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ status: "Enabled", expiration: { days: 7 }, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } });
    // An empty filter is what makes the rule cover every object.
    expect(rules[0].filter).toEqual({});
  });

  test("uses the configured expiration", () => {
    expect(inputsOf(custom, AWS_TYPES.lifecycle).rules[0].expiration).toEqual({ days: 30 });
  });
});

describe("importer role", () => {
  test("has the default name and is trusted only by Pinpoint, for this account's project", () => {
    const role = inputsOf(defaults, AWS_TYPES.role);
    expect(role.name).toBe(DEFAULT_ROLE);
    expect(JSON.parse(role.assumeRolePolicy).Statement).toEqual([
      {
        Sid: expect.any(String),
        Effect: "Allow",
        Principal: { Service: "pinpoint.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": TEST_ACCOUNT_ID },
          // The project and what is under it (an import job), never a prefix of its ID.
          ArnLike: {
            "aws:SourceArn": [
              `arn:aws:mobiletargeting:eu-west-1:${TEST_ACCOUNT_ID}:apps/${TEST_PROJECT_ID}`,
              `arn:aws:mobiletargeting:eu-west-1:${TEST_ACCOUNT_ID}:apps/${TEST_PROJECT_ID}/*`,
            ],
          },
        },
      },
    ]);
  });

  test("has its own customer-managed read policy attached, not an AWS managed one", () => {
    const attachments = byType(defaults, AWS_TYPES.rolePolicyAttachment);
    expect(attachments).toHaveLength(1);
    expect(attachments[0]!.inputs.role).toBe(DEFAULT_ROLE);
    const attached = byType(defaults, AWS_TYPES.policy).find((p) => p.state.arn === attachments[0]!.inputs.policyArn);
    expect(attached?.inputs.name).toBe(`${DEFAULT_ROLE}-s3-read`);
  });
});

describe("Census identity", () => {
  test("is an IAM user with the default name that can be deleted along with its keys", () => {
    expect(inputsOf(defaults, AWS_TYPES.user)).toMatchObject({ name: DEFAULT_USER, forceDestroy: true });
  });

  test("gets its permissions only through a group it is a member of", () => {
    const group = inputsOf(defaults, AWS_TYPES.group);
    expect(inputsOf(defaults, AWS_TYPES.membership)).toEqual({ user: DEFAULT_USER, groups: [group.name] });
    const attachment = inputsOf(defaults, AWS_TYPES.groupPolicyAttachment);
    expect(attachment.group).toBe(group.name);
    expect(byType(defaults, AWS_TYPES.policy).map((p) => p.state.arn)).toContain(attachment.policyArn);
    const attachedToUser = defaults.resources.filter((r) => /^aws:iam\/(userPolicy|userPolicyAttachment|policyAttachment):/.test(r.type));
    expect(attachedToUser).toEqual([]);
  });

  test("has one access key", () => {
    expect(byType(defaults, AWS_TYPES.accessKey).map((k) => k.inputs)).toEqual([{ user: DEFAULT_USER }]);
  });
});

describe("identity policies", () => {
  test.each([
    ["default", () => defaults],
    ["custom", () => custom],
    ["GovCloud", () => govCloud],
  ])("grant nothing on `*` and no wildcard action (%s stack)", (_name, run) => {
    const { importer, census } = deployedPolicies(run());
    for (const statement of statements([...importer, ...census])) {
      expect(statement).not.toHaveProperty("NotResource");
      expect(statement).not.toHaveProperty("NotAction");
      for (const resource of asList(statement.Resource)) {
        expect(resource).not.toBe("*");
        // The only wildcards are "everything under" the bucket or the project.
        expect(resource.replace(/\/\*$/, "")).not.toContain("*");
      }
      for (const action of asList(statement.Action)) expect(action).not.toContain("*");
    }
  });

  test("the Census key's policy uses no condition keys that only exist when an AWS service calls", () => {
    expect(JSON.stringify(deployedPolicies(defaults).census)).not.toMatch(/aws:Source(Account|Arn)/);
  });

  test("grant KMS use of the configured key only when one is configured", () => {
    const kmsResources = (run: StackRun) => {
      const { importer, census } = deployedPolicies(run);
      return statements([...importer, ...census])
        .filter((s) => asList(s.Action).some((a) => a.startsWith("kms:")))
        .flatMap((s) => asList(s.Resource));
    };
    expect(kmsResources(defaults)).toEqual([]);
    expect(new Set(kmsResources(custom))).toEqual(new Set([CUSTOM_KMS_KEY]));
  });

  test("every KMS grant holds only through S3 in the bucket's region, for the staging bucket", () => {
    const { importer, census } = deployedPolicies(custom);
    const grants = statements([...importer, ...census]).filter((s) => asList(s.Action).some((a) => a.startsWith("kms:")));
    expect(grants).toHaveLength(2);
    for (const grant of grants) {
      expect(grant.Condition).toEqual({
        StringEquals: { "kms:ViaService": "s3.us-east-2.amazonaws.com", "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::acme-census-staging" },
      });
    }
  });
});

test("every taggable resource carries the managed-by and pinpoint-project tags", () => {
  const taggable = [AWS_TYPES.bucket, AWS_TYPES.role, AWS_TYPES.policy, AWS_TYPES.user];
  const tagged = defaults.resources.filter((r) => taggable.includes(r.type as (typeof taggable)[number]));
  expect(tagged).toHaveLength(5);
  for (const resource of tagged) expect([resource.name, resource.inputs.tags]).toEqual([resource.name, TAGS]);
});

describe("custom names from config", () => {
  test("name the bucket, role, user and the resources derived from them", () => {
    expect(inputsOf(custom, AWS_TYPES.bucket)).toMatchObject({ bucket: "acme-census-staging", region: "us-east-2" });
    expect(inputsOf(custom, AWS_TYPES.role).name).toBe("AcmeCensusImporter");
    expect(inputsOf(custom, AWS_TYPES.user).name).toBe("acme-census");
    expect(inputsOf(custom, AWS_TYPES.group).name).toBe("acme-census-group");
    expect(new Set(byType(custom, AWS_TYPES.policy).map((p) => p.inputs.name))).toEqual(
      new Set(["AcmeCensusImporter-s3-read", "acme-census-access"]),
    );
  });

  test("are what the policies grant access to", () => {
    const { importer, census } = deployedPolicies(custom);
    const resources = statements([...importer, ...census]).flatMap((s) => asList(s.Resource));
    expect(resources).toEqual(expect.arrayContaining(["arn:aws:s3:::acme-census-staging", "arn:aws:s3:::acme-census-staging/*"]));
    expect(resources).toContain(`arn:aws:iam::${TEST_ACCOUNT_ID}:role/AcmeCensusImporter`);
    expect(resources.filter((r) => r.includes(DEFAULT_BUCKET) || r.includes(DEFAULT_ROLE))).toEqual([]);
  });
});

describe("stack outputs", () => {
  test("are exactly the names README.md documents, with the values Census needs", () => {
    const values = Object.fromEntries(Object.entries(defaults.outputs).map(([name, output]) => [name, output.value]));
    expect(values).toEqual({
      accessKeyId: TEST_ACCESS_KEY_ID,
      secretAccessKey: TEST_SECRET_KEY,
      pinpointProjectId: TEST_PROJECT_ID,
      stagingBucketName: DEFAULT_BUCKET,
      importerRoleArn: `arn:aws:iam::${TEST_ACCOUNT_ID}:role/${DEFAULT_ROLE}`,
      awsRegion: "eu-west-1",
      stagingBucketArn: `arn:aws:s3:::${DEFAULT_BUCKET}`,
      censusUserArn: `arn:aws:iam::${TEST_ACCOUNT_ID}:user/${DEFAULT_USER}`,
      censusUserName: DEFAULT_USER,
      accessKeyCreatedAt: "2026-11-01T00:00:00Z",
    });
  });

  test("the secret access key is a Pulumi secret and nothing else is", () => {
    const secret = Object.entries(defaults.outputs)
      .filter(([, output]) => output.secret)
      .map(([name]) => name);
    expect(secret).toEqual(["secretAccessKey"]);
  });

  test("follow the custom names", () => {
    expect(custom.outputs.stagingBucketName!.value).toBe("acme-census-staging");
    expect(custom.outputs.importerRoleArn!.value).toBe(`arn:aws:iam::${TEST_ACCOUNT_ID}:role/AcmeCensusImporter`);
    expect(custom.outputs.censusUserName!.value).toBe("acme-census");
    expect(custom.outputs.awsRegion!.value).toBe("us-east-2");
  });
});

describe("GovCloud (us-gov-west-1)", () => {
  test("creates the bucket there, with a default name for that region", () => {
    expect(inputsOf(govCloud, AWS_TYPES.bucket)).toMatchObject({
      bucket: `census-pinpoint-staging-01234567-${TEST_ACCOUNT_ID}-us-gov-west-1`,
      region: "us-gov-west-1",
    });
  });

  test("every ARN in every policy document is in the aws-us-gov partition", () => {
    const { importerTrust, importer, census, bucket } = deployedPolicies(govCloud);
    const arns = JSON.stringify([importerTrust, importer, census, bucket]).match(/arn:[^:"]*:/g) ?? [];
    expect(arns.length).toBeGreaterThan(5);
    expect(new Set(arns)).toEqual(new Set(["arn:aws-us-gov:"]));
    expect(importerTrust.Statement[0]!.Condition!.ArnLike!["aws:SourceArn"]).toContain(
      `arn:aws-us-gov:mobiletargeting:us-gov-west-1:${TEST_ACCOUNT_ID}:apps/${TEST_PROJECT_ID}`,
    );
  });
});
