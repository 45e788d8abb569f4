// What policy documents grant beyond what the importer role or Census's user needs, in words: AWS's
// managed policies as hand-made setups attach them, and the partial wildcards people write.
import { censusAccessPolicy, importerRolePolicy } from "../../../infra/policies.js";
import type { NamedPolicy } from "../../../wizard/audit/policyEvaluation.js";
import {
  grantsBeyondNeed,
  missingImporterNeeds,
  probeKey,
  probesFor,
  type AuditScope,
  type GrantContext,
  type GrantKind,
} from "../../../wizard/audit/policyGrants.js";
import {
  ADMINISTRATOR_ACCESS,
  AMAZON_S3_FULL_ACCESS,
  AMAZON_S3_READ_ONLY_ACCESS,
  IAM_FULL_ACCESS,
  PINPOINT_FULL_ACCESS,
  POWER_USER_ACCESS,
} from "./managedPolicies.js";

const ACCOUNT = "123456789012";
const PROJECT = "0123456789abcdef0123456789abcdef";
const BUCKET = "census-pinpoint-staging-acme";
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/CensusPinpointImporter`;
const APP_ARN = `arn:aws:mobiletargeting:eu-west-1:${ACCOUNT}:apps/${PROJECT}`;

const scope: AuditScope = { partition: "aws", region: "eu-west-1", accountId: ACCOUNT, projectId: PROJECT, bucketName: BUCKET, importerRoleArn: ROLE_ARN };
const role: GrantContext = { scope, grantee: { kind: "importer-role" }, bucketCount: 3 };
const user: GrantContext = { scope, grantee: { kind: "census-user", userName: "dana.admin" }, bucketCount: 3 };

const named = (name: string, document: unknown): NamedPolicy => ({ name, document });
const doc = (...Statement: object[]) => ({ Version: "2012-10-17", Statement });
const kinds = (policies: NamedPolicy[], context: GrantContext): GrantKind[] => grantsBeyondNeed(policies, context).map((grant) => grant.kind);

describe("what each needs is not beyond the need", () => {
  test("the stack's own policies grant nothing more", () => {
    expect(grantsBeyondNeed([named("staging-read", importerRolePolicy(scope))], role)).toEqual([]);
    expect(grantsBeyondNeed([named("census", censusAccessPolicy(scope))], user)).toEqual([]);
  });

  test("with SSE-KMS, decrypting with one named key is taken as the staging bucket's", () => {
    const kms = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    expect(grantsBeyondNeed([named("staging-read", importerRolePolicy({ ...scope, kmsKeyArn: kms }))], role)).toEqual([]);
    expect(kinds([named("any-key", doc({ Effect: "Allow", Action: "kms:Decrypt", Resource: "*" }))], role)).toEqual(["other-actions"]);
  });

  test("sts:GetCallerIdentity is anyone's: granting it grants nothing", () => {
    expect(grantsBeyondNeed([named("whoami", doc({ Effect: "Allow", Action: "sts:GetCallerIdentity", Resource: "*" }))], user)).toEqual([]);
  });
});

describe("AWS managed policies", () => {
  test("AmazonS3ReadOnlyAccess lets Pinpoint's role read all 3 buckets of the account", () => {
    const grants = grantsBeyondNeed([named("AmazonS3ReadOnlyAccess", AMAZON_S3_READ_ONLY_ACCESS)], role);
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({
      kind: "every-bucket",
      severity: "high",
      reach: "read all 3 buckets of this account",
      sources: [{ policy: "AmazonS3ReadOnlyAccess", statement: "Allow s3:Get*, s3:List*, s3:Describe*, s3-object-lambda:Get*, s3-object-lambda:List* on * (statement 1)" }],
    });
    expect(grants[0]!.probes.map((probe) => probe.facet).sort()).toEqual(["list", "read"]);
  });

  test("without a bucket count, the words say every bucket", () => {
    const [grant] = grantsBeyondNeed([named("AmazonS3ReadOnlyAccess", AMAZON_S3_READ_ONLY_ACCESS)], { ...role, bucketCount: undefined });
    expect(grant!.reach).toBe("read every bucket of this account");
    const [single] = grantsBeyondNeed([named("AmazonS3ReadOnlyAccess", AMAZON_S3_READ_ONLY_ACCESS)], { ...role, bucketCount: 1 });
    expect(single!.reach).toBe("read the account's only bucket");
  });

  test("AmazonS3FullAccess reads, writes and deletes in every bucket and changes bucket policies", () => {
    expect(grantsBeyondNeed([named("AmazonS3FullAccess", AMAZON_S3_FULL_ACCESS)], user).map((grant) => [grant.kind, grant.reach])).toEqual([
      ["every-bucket", "read, write and delete objects in all 3 buckets of this account, and change their settings and bucket policies"],
    ]);
  });

  test("AdministratorAccess is called out as an administrator, and nothing else needs saying", () => {
    const grants = grantsBeyondNeed([named("AdministratorAccess", ADMINISTRATOR_ACCESS)], user);
    expect(grants.map((grant) => [grant.kind, grant.severity])).toEqual([["administrator", "critical"]]);
    expect(grants[0]!.reach).toBe("do anything in this AWS account (every action on every resource): it is an administrator");
  });

  test("IAMFullAccess is administrator-equivalent: it may give itself anything", () => {
    const grants = grantsBeyondNeed([named("IAMFullAccess", IAM_FULL_ACCESS)], role);
    expect(grants.map((grant) => grant.kind)).toEqual(["administrator", "other-actions"]);
    expect(grants[0]!.reach).toMatch(/^give itself or anyone any permission/);
    expect(grants[1]!.reach).toBe("call actions it does not need: organizations:DescribeAccount, organizations:DescribeOrganization, organizations:DescribeOrganizationalUnit and 7 more on *");
  });

  test("PowerUserAccess may assume any role (administrator-equivalent) and reaches every bucket and project", () => {
    const grants = grantsBeyondNeed([named("PowerUserAccess", POWER_USER_ACCESS)], user);
    expect(grants.map((grant) => grant.kind)).toEqual(["administrator", "every-bucket", "every-project", "other-actions"]);
    expect(grants[0]!.reach).toMatch(/^assume any role of this account/);
    expect(grants[3]!.reach).toContain("every action except iam:*, organizations:*, account:* on *");
  });

  test("full Pinpoint access reaches every project of the account, in every region", () => {
    const [grant, ...rest] = grantsBeyondNeed([named("PinpointFullAccess", PINPOINT_FULL_ACCESS)], user);
    expect(rest).toEqual([]);
    expect(grant).toMatchObject({
      kind: "every-project",
      severity: "high",
      reach: `read, change and delete every Amazon Pinpoint project of this account, not only ${PROJECT}, and send messages from them`,
    });
  });
});

describe("policies written by hand", () => {
  test("a partial bucket wildcard reaches other buckets, named by the pattern", () => {
    const grants = grantsBeyondNeed([named("census-buckets", doc({ Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: "arn:aws:s3:::census-*/*" }))], user);
    expect(grants.map((grant) => [grant.kind, grant.severity, grant.reach])).toEqual([
      ["other-buckets", "high", `use buckets other than ${BUCKET}: s3:GetObject, s3:PutObject on arn:aws:s3:::census-*/*`],
    ]);
  });

  test("arn:aws:s3:::* is every bucket; s3:Get* on it reads them", () => {
    expect(kinds([named("p", doc({ Effect: "Allow", Action: "s3:Get*", Resource: "arn:aws:s3:::*" }))], role)).toEqual(["every-bucket"]);
  });

  test("more than needed on the staging bucket itself is a low finding", () => {
    const grants = grantsBeyondNeed([named("p", doc({ Effect: "Allow", Action: "s3:*", Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`] }))], role);
    expect(grants.map((grant) => [grant.kind, grant.severity, grant.reach])).toEqual([
      ["staging-bucket-extra", "low", `do more with the staging bucket ${BUCKET} than needed: s3:* on arn:aws:s3:::${BUCKET}; s3:* on arn:aws:s3:::${BUCKET}/*`],
    ]);
  });

  test("writing to the staging bucket is more than Pinpoint's role needs, and exactly what Census's user needs", () => {
    const write = named("write", doc({ Effect: "Allow", Action: "s3:PutObject", Resource: `arn:aws:s3:::${BUCKET}/*` }));
    expect(kinds([write], role)).toEqual(["staging-bucket-extra"]);
    expect(kinds([write], user)).toEqual([]);
  });

  test("other projects by ID, and more than needed on the project", () => {
    const other = `arn:aws:mobiletargeting:eu-west-1:${ACCOUNT}:apps/fedcba9876543210fedcba9876543210`;
    const grants = grantsBeyondNeed(
      [named("p", doc({ Effect: "Allow", Action: "mobiletargeting:*", Resource: [other, APP_ARN] })), named("q", doc({ Effect: "Allow", Action: "mobiletargeting:GetApp", Resource: "*" }))],
      user,
    );
    expect(grants.map((grant) => [grant.kind, grant.severity])).toEqual([
      ["other-projects", "high"],
      ["other-actions", "medium"],
      ["project-extra", "low"],
    ]);
    expect(grants[0]!.reach).toBe(`use Amazon Pinpoint projects other than ${PROJECT}: mobiletargeting:* on ${other}`);
  });

  test("iam:PassRole on every role, and on roles other than the importer role", () => {
    expect(grantsBeyondNeed([named("p", doc({ Effect: "Allow", Action: "iam:PassRole", Resource: "*" }))], user).map((grant) => [grant.kind, grant.severity])).toEqual([
      ["pass-any-role", "high"],
    ]);
    const other = grantsBeyondNeed([named("p", doc({ Effect: "Allow", Action: "iam:PassRole", Resource: `arn:aws:iam::${ACCOUNT}:role/Deploy*` }))], user);
    expect(other.map((grant) => [grant.kind, grant.severity, grant.reach])).toEqual([
      ["other-roles", "medium", `pass roles other than the importer role to AWS services: iam:PassRole on arn:aws:iam::${ACCOUNT}:role/Deploy*`],
    ]);
    // The importer role's own trust is not Pinpoint's role passing itself: for the role it is beyond the need.
    expect(kinds([named("p", doc({ Effect: "Allow", Action: "iam:PassRole", Resource: ROLE_ARN }))], role)).toEqual(["other-roles"]);
  });

  test("sts:AssumeRole on every role is administrator-equivalent", () => {
    const grants = grantsBeyondNeed([named("p", doc({ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }))], user);
    expect(grants.map((grant) => [grant.kind, grant.severity])).toEqual([["administrator", "critical"]]);
    expect(grants[0]!.reach).toMatch(/sts:AssumeRole on every role/);
  });

  test("a person's own-credentials policy (with ${aws:username}) is more than Census needs", () => {
    const own = named(
      "ManageOwnCredentials",
      doc({ Effect: "Allow", Action: ["iam:ChangePassword", "iam:CreateAccessKey"], Resource: "arn:aws:iam::*:user/${aws:username}" }),
    );
    const grants = grantsBeyondNeed([own], user);
    expect(grants.map((grant) => [grant.kind, grant.reach])).toEqual([
      ["other-actions", "call actions it does not need: iam:ChangePassword, iam:CreateAccessKey on arn:aws:iam::*:user/${aws:username}"],
    ]);
  });

  test("an explicit Deny in another of the principal's policies takes the right away", () => {
    const s3 = named("AmazonS3FullAccess", AMAZON_S3_FULL_ACCESS);
    const guard = named("guard", doc({ Effect: "Deny", NotResource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`], Action: "s3:*" }));
    expect(kinds([s3], user)).toEqual(["every-bucket"]);
    expect(grantsBeyondNeed([s3], user, { alongside: [s3, guard] }).map((grant) => grant.kind)).not.toContain("every-bucket");
  });

  test("an Allow under conditions still counts, and the evidence shows the condition", () => {
    const [grant] = grantsBeyondNeed(
      [named("p", doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*", Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } } }))],
      role,
    );
    expect(grant!.sources[0]!.statement).toBe('Allow s3:GetObject on * (statement 1, only when {"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}})');
  });

  test("grants come worst first, each naming the policies behind it", () => {
    const grants = grantsBeyondNeed(
      [
        named("AmazonS3ReadOnlyAccess", AMAZON_S3_READ_ONLY_ACCESS),
        named("logs", doc({ Effect: "Allow", Action: "logs:*", Resource: "*" })),
        named("IAMFullAccess", IAM_FULL_ACCESS),
      ],
      user,
    );
    expect(grants.map((grant) => grant.kind)).toEqual(["administrator", "every-bucket", "other-actions"]);
    expect(grants[2]!.sources.map((source) => source.policy)).toEqual(["logs", "IAMFullAccess"]);
  });
});

describe("the simulator's verdicts", () => {
  test("a probe the simulator refuses is no right, whatever the documents say", () => {
    const readOnly = [named("AmazonS3ReadOnlyAccess", AMAZON_S3_READ_ONLY_ACCESS)];
    const probes = probesFor(scope).filter((probe) => probe.kind === "every-bucket");
    const refused = new Map(probes.map((probe) => [probeKey(probe), false]));
    expect(grantsBeyondNeed(readOnly, role, { verdicts: refused }).map((grant) => grant.kind)).not.toContain("every-bucket");
    const readAllowed = new Map(probes.map((probe) => [probeKey(probe), probe.facet === "read"]));
    expect(grantsBeyondNeed(readOnly, role, { verdicts: readAllowed })[0]!.reach).toBe("read all 3 buckets of this account");
  });
});

describe("what the importer role needs", () => {
  test("AmazonS3ReadOnlyAccess covers it; a policy on another bucket does not", () => {
    expect(missingImporterNeeds([named("AmazonS3ReadOnlyAccess", AMAZON_S3_READ_ONLY_ACCESS)], scope)).toEqual([]);
    expect(missingImporterNeeds([named("p", doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::other/*" }))], scope)).toEqual([
      `s3:GetObject on arn:aws:s3:::${BUCKET}/staged-file.csv`,
      `s3:ListBucket on arn:aws:s3:::${BUCKET}`,
    ]);
  });
});
