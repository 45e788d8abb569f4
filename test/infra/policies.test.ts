// The pure policy builders: what each document grants, and that IAM would accept it (unique Sids,
// size limits). Semantics under evaluation are in iamSimulation.test.ts.
import { censusAccessPolicy, importerRolePolicy, stagingBucketPolicy, tlsOnlyBucketPolicy, type CensusAccessScope, type PolicyDocument, type PolicyStatement } from "../../infra/policies.js";
import { importerTrustPolicy } from "../../infra/trustPolicy.js";

const ACCOUNT = "123456789012";
const PROJECT = "0123456789abcdef0123456789abcdef";
const KMS_KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const APP = `arn:aws:mobiletargeting:eu-west-1:${ACCOUNT}:apps/${PROJECT}`;

const scope: CensusAccessScope = {
  partition: "aws",
  region: "eu-west-1",
  accountId: ACCOUNT,
  projectId: PROJECT,
  bucketName: "census-staging",
  importerRoleArn: `arn:aws:iam::${ACCOUNT}:role/CensusPinpointSegmentImporter-01234567`,
};

const list = (value: string | string[] | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const grantsOf = (document: PolicyDocument, action: string): PolicyStatement[] =>
  document.Statement.filter((s) => s.Effect === "Allow" && list(s.Action).includes(action));
// IAM counts a managed policy's size without whitespace.
const iamSize = (document: PolicyDocument) => JSON.stringify(document).length;

describe("Census access policy", () => {
  // The list AWS documents for Census's Pinpoint connection, not the module's constant, so dropping an action is caught.
  test.each([
    "GetApp",
    "CreateImportJob",
    "GetImportJob",
    "GetImportJobs",
    "GetSegments",
    "GetSegment",
    "CreateSegment",
    "UpdateSegment",
    "DeleteSegment",
    "GetSegmentVersion",
    "GetSegmentVersions",
    "GetSegmentImportJobs",
  ])("grants mobiletargeting:%s on the project and what is under it, nowhere else", (action) => {
    const resources = grantsOf(censusAccessPolicy(scope), `mobiletargeting:${action}`).flatMap((s) => list(s.Resource));
    expect(resources.sort()).toEqual([APP, `${APP}/*`]);
  });

  test("lets the importer role be passed only to Pinpoint, under either service name", () => {
    const [passRole, ...others] = grantsOf(censusAccessPolicy(scope), "iam:PassRole");
    expect(others).toEqual([]);
    expect(passRole!.Resource).toBe(scope.importerRoleArn);
    expect(passRole!.Condition).toEqual({
      StringEquals: { "iam:PassedToService": expect.arrayContaining(["pinpoint.amazonaws.com", "mobiletargeting.amazonaws.com"]) },
    });
    expect(passRole!.Condition!.StringEquals!["iam:PassedToService"]).toHaveLength(2);
  });

  test("grants KMS only when the bucket uses a KMS key, and then only on that key", () => {
    const kms = (document: PolicyDocument) => document.Statement.filter((s) => list(s.Action).some((a) => a.startsWith("kms:")));
    expect(kms(censusAccessPolicy(scope))).toEqual([]);
    const grants = kms(censusAccessPolicy({ ...scope, kmsKeyArn: KMS_KEY }));
    expect(grants.flatMap((s) => list(s.Resource))).toEqual([KMS_KEY]);
    expect(grants.flatMap((s) => list(s.Action)).sort()).toEqual(["kms:Decrypt", "kms:GenerateDataKey"]);
  });
});

describe("KMS grants", () => {
  const kmsGrants = (document: PolicyDocument) => document.Statement.filter((s) => list(s.Action).some((a) => a.startsWith("kms:")));

  test.each([
    ["eu-west-1", "aws", "s3.eu-west-1.amazonaws.com", "arn:aws:s3:::census-staging"],
    // GovCloud's endpoints share the commercial DNS suffix; only the ARN partition differs.
    ["us-gov-west-1", "aws-us-gov", "s3.us-gov-west-1.amazonaws.com", "arn:aws-us-gov:s3:::census-staging"],
  ] as const)("hold only through S3 in %s, for the bucket ARN (the S3 Bucket Key's encryption context)", (region, partition, viaService, bucket) => {
    const kmsKeyArn = `arn:${partition}:kms:${region}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const variant = { ...scope, partition, region, kmsKeyArn };
    const grants = [...kmsGrants(censusAccessPolicy(variant)), ...kmsGrants(importerRolePolicy(variant))];
    expect(grants).toHaveLength(2);
    for (const grant of grants) {
      expect(grant.Condition).toEqual({ StringEquals: { "kms:ViaService": viaService, "kms:EncryptionContext:aws:s3:arn": bucket } });
    }
  });
});

describe("importer role policy", () => {
  test("can only read", () => {
    const actions = importerRolePolicy({ partition: "aws", region: "eu-west-1", bucketName: "census-staging", kmsKeyArn: KMS_KEY }).Statement.flatMap((s) => list(s.Action));
    expect(actions.sort()).toEqual(["kms:Decrypt", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket"]);
  });
});

describe("importer trust policy", () => {
  test("uses the confused-deputy conditions and no (deprecated) external ID", () => {
    const [statement] = importerTrustPolicy(scope).Statement;
    expect(Object.keys(statement!.Condition!).sort()).toEqual(["ArnLike", "StringEquals"]);
    expect(JSON.stringify(statement)).not.toContain("sts:ExternalId");
  });

  test("admits the project and what is under it, not a prefix of its ID", () => {
    const [statement] = importerTrustPolicy(scope).Statement;
    expect(statement!.Condition!.ArnLike).toEqual({ "aws:SourceArn": [APP, `${APP}/*`] });
  });
});

test("the TLS-only bucket policy covers the bucket and its objects in the bucket's partition", () => {
  const [statement] = tlsOnlyBucketPolicy({ partition: "aws-us-gov", bucketName: "census-staging" }).Statement;
  expect(statement!.Resource).toEqual(["arn:aws-us-gov:s3:::census-staging", "arn:aws-us-gov:s3:::census-staging/*"]);
});

describe("staging bucket policy", () => {
  test("is the TLS-only policy under SSE-S3", () => {
    expect(stagingBucketPolicy({ partition: "aws", bucketName: "census-staging" })).toEqual(tlsOnlyBucketPolicy({ partition: "aws", bucketName: "census-staging" }));
  });

  test("under SSE-KMS adds upload denials on the objects, each only when its header is present", () => {
    const [tls, ...uploads] = stagingBucketPolicy({ partition: "aws", bucketName: "census-staging", kmsKeyArn: KMS_KEY }).Statement;
    expect(tls).toEqual(tlsOnlyBucketPolicy({ partition: "aws", bucketName: "census-staging" }).Statement[0]);
    expect(uploads.map((s) => s.Sid)).toEqual(["DenyOtherEncryption", "DenyOtherKmsKey", "DenyKmsWithoutKeyId", "DenyCustomerProvidedKeys"]);
    for (const statement of uploads) {
      expect(statement).toMatchObject({ Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: "arn:aws:s3:::census-staging/*" });
      expect(Object.values(statement.Condition!.Null!)).toContain("false");
    }
    expect(uploads[1]!.Condition!.StringNotEquals).toEqual({ "s3:x-amz-server-side-encryption-aws-kms-key-id": KMS_KEY });
  });
});

describe("every document, with the longest names accepted", () => {
  const longest: CensusAccessScope = {
    partition: "aws-us-gov",
    region: "us-gov-west-1",
    accountId: ACCOUNT,
    projectId: "p".repeat(128),
    bucketName: "b".repeat(63),
    importerRoleArn: `arn:aws-us-gov:iam::${ACCOUNT}:role/${"R".repeat(64)}`,
    kmsKeyArn: `arn:aws-us-gov:kms:us-gov-west-1:${ACCOUNT}:key/mrk-1234abcd12ab34cd56ef1234567890ab`,
  };
  const documents: [string, PolicyDocument][] = [
    ["trust", importerTrustPolicy(longest)],
    ["importer", importerRolePolicy(longest)],
    ["census", censusAccessPolicy(longest)],
    ["bucket", stagingBucketPolicy(longest)],
  ];

  test.each(documents)("%s: has unique statement IDs (IAM rejects duplicates)", (_name, document) => {
    const sids = document.Statement.map((s) => s.Sid);
    expect(new Set(sids).size).toBe(sids.length);
  });

  test("managed policies fit IAM's 6,144-character limit and the trust policy its 2,048-character default", () => {
    expect(iamSize(censusAccessPolicy(longest))).toBeLessThanOrEqual(6144);
    expect(iamSize(importerRolePolicy(longest))).toBeLessThanOrEqual(6144);
    expect(iamSize(importerTrustPolicy(longest))).toBeLessThanOrEqual(2048);
    // S3's bucket policy limit is 20 KB.
    expect(iamSize(stagingBucketPolicy(longest))).toBeLessThanOrEqual(20 * 1024);
  });
});
