// What the deployed policies allow and refuse, evaluated by an IAM policy simulator on the exact JSON
// the program hands to the provider (captured from the mocks, found by what each policy is attached to).
import { allowedContextKeysForRequest, runSimulation, runUnsafeSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { TEST_ACCOUNT_ID, TEST_PROJECT_ID } from "../helpers/pulumiMocks.js";
import type { PolicyDocument } from "../../infra/policies.js";
import { deployedPolicies, runStack, stackConfig, type DeployedPolicies, type StackRun } from "./stackRun.js";

// AWS's documented examples: another account, another bucket, and two KMS key IDs.
const OTHER_ACCOUNT = "111122223333";
const OTHER_BUCKET = "amzn-s3-demo-bucket";
const KMS_KEY = `arn:aws:kms:eu-west-1:${TEST_ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const OTHER_KMS_KEY = `arn:aws:kms:eu-west-1:${TEST_ACCOUNT_ID}:key/0987dcba-09fe-87dc-65ba-ab0987654321`;
const GOV_KMS_KEY = `arn:aws-us-gov:kms:us-gov-west-1:${TEST_ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const OTHER_PROJECT = "fedcba9876543210fedcba9876543210";

type Setup = "SSE-S3" | "SSE-KMS" | "GovCloud" | "GovCloud SSE-KMS";
type Expected = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

interface Stack {
  partition: string;
  region: string;
  bucket: string;
  importerRoleArn: string;
  importerSession: string;
  censusUserArn: string;
  appArn: string;
  policies: DeployedPolicies;
}

const stacks = {} as Record<Setup, Stack>;

function describeStack(run: StackRun, partition: string, region: string): Stack {
  const output = (name: string) => run.outputs[name]!.value as string;
  const importerRoleArn = output("importerRoleArn");
  return {
    partition,
    region,
    bucket: output("stagingBucketName"),
    importerRoleArn,
    // What Pinpoint acts as once it has assumed the role.
    importerSession: importerRoleArn.replace(":iam::", ":sts::").replace(":role/", ":assumed-role/") + "/pinpoint-import",
    censusUserArn: output("censusUserArn"),
    appArn: `arn:${partition}:mobiletargeting:${region}:${TEST_ACCOUNT_ID}:apps/${TEST_PROJECT_ID}`,
    policies: deployedPolicies(run),
  };
}

beforeAll(async () => {
  stacks["SSE-S3"] = describeStack(await runStack(stackConfig("eu-west-1")), "aws", "eu-west-1");
  stacks["SSE-KMS"] = describeStack(await runStack(stackConfig("eu-west-1", { kmsKeyArn: KMS_KEY })), "aws", "eu-west-1");
  stacks.GovCloud = describeStack(await runStack(stackConfig("us-gov-west-1")), "aws-us-gov", "us-gov-west-1");
  stacks["GovCloud SSE-KMS"] = describeStack(await runStack(stackConfig("us-gov-west-1", { kmsKeyArn: GOV_KMS_KEY })), "aws-us-gov", "us-gov-west-1");
});

// KMS authorizes by the key policy first; this is the default key policy, which leaves access to the
// account's IAM policies, so the simulation measures what our grants add.
const defaultKeyPolicy = (partition: string): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: [
    { Sid: "EnableIAMUserPermissions", Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${TEST_ACCOUNT_ID}:root` }, Action: "kms:*", Resource: "*" },
  ],
});

interface Call {
  action: string;
  resource: string;
  context?: Record<string, string>;
  /** When false, the request arrives over plain HTTP. */
  tls?: boolean;
}

function simulation(principal: string, identityPolicies: PolicyDocument[], resourcePolicy: PolicyDocument | undefined, call: Call): Simulation {
  return {
    request: {
      principal,
      action: call.action,
      resource: { resource: call.resource, accountId: TEST_ACCOUNT_ID },
      contextVariables: { "aws:SecureTransport": String(call.tls ?? true), ...call.context },
    },
    identityPolicies: identityPolicies.map((policy, i) => ({ name: `attached-${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(resourcePolicy ? { resourcePolicy } : {}),
  };
}

// Requests to the staging bucket are also subject to its bucket policy, and KMS requests to the key policy.
function resourcePolicyFor(stack: Stack, resource: string): PolicyDocument | undefined {
  if (resource === `arn:${stack.partition}:s3:::${stack.bucket}` || resource.startsWith(`arn:${stack.partition}:s3:::${stack.bucket}/`)) {
    return stack.policies.bucket;
  }
  if (resource.startsWith(`arn:${stack.partition}:kms:`)) return defaultKeyPolicy(stack.partition);
  return undefined;
}

const asCensusKey = (call: (s: Stack) => Call) => (s: Stack) => {
  const c = call(s);
  return simulation(s.censusUserArn, s.policies.census, resourcePolicyFor(s, c.resource), c);
};

const asImporterRole = (call: (s: Stack) => Call) => (s: Stack) => {
  const c = call(s);
  return simulation(s.importerSession, s.policies.importer, resourcePolicyFor(s, c.resource), c);
};

// A trust policy is the role's resource policy; the caller brings no identity policy of its own.
const assumingImporterRole = (principal: string, context: (s: Stack) => Record<string, string>) => (s: Stack) =>
  simulation(principal, [], s.policies.importerTrust, { action: "sts:AssumeRole", resource: s.importerRoleArn, context: context(s) });

const stagedObject = (s: Stack) => `arn:${s.partition}:s3:::${s.bucket}/census/segment-export.csv`;
const stagingBucket = (s: Stack) => `arn:${s.partition}:s3:::${s.bucket}`;
const otherBucketObject = (s: Stack) => `arn:${s.partition}:s3:::${OTHER_BUCKET}/census/segment-export.csv`;
const importJob = (s: Stack) => `${s.appArn}/jobs/import/b3f3a7a2e4c14c2ab0f1c2d3e4f5a6b7`;
const segment = (s: Stack) => `${s.appArn}/segments/5d1a0c0e1a2b4c3d8e9f0a1b2c3d4e5f`;
const passedTo = (service: string) => ({ "iam:PassedToService": service });
// What KMS sees when S3 in `region` uses the key for an object of `bucket` under an S3 Bucket Key: the
// bucket's ARN as the encryption context.
const throughS3 = (s: Stack, options: { bucket?: string; region?: string; context?: string } = {}) => ({
  "kms:ViaService": `s3.${options.region ?? s.region}.amazonaws.com`,
  "kms:EncryptionContext:aws:s3:arn": options.context ?? `arn:${s.partition}:s3:::${options.bucket ?? s.bucket}`,
});
const fromPinpointProject = (account: string, appArn: string) => ({ "aws:SourceAccount": account, "aws:SourceArn": appArn });

interface Row {
  name: string;
  setup: Setup;
  build: (s: Stack) => Simulation;
  expected: Expected;
}

const row = (setup: Setup, name: string, expected: Expected, build: (s: Stack) => Simulation): Row => ({ name, setup, build, expected });

// The Pinpoint actions AWS documents that Census needs, each on the resource type it acts on.
const censusPinpointCalls: [string, (s: Stack) => string][] = [
  ["GetApp", (s) => s.appArn],
  ["CreateImportJob", (s) => s.appArn],
  ["GetImportJob", importJob],
  ["GetImportJobs", (s) => s.appArn],
  ["GetSegments", (s) => s.appArn],
  ["GetSegment", segment],
  ["CreateSegment", (s) => s.appArn],
  ["UpdateSegment", segment],
  ["DeleteSegment", segment],
  ["GetSegmentVersion", segment],
  ["GetSegmentVersions", segment],
  ["GetSegmentImportJobs", segment],
];

const rows: Row[] = [
  // The Census key and the staging bucket.
  ...["PutObject", "GetObject", "DeleteObject", "AbortMultipartUpload", "ListMultipartUploadParts"].map((action) =>
    row("SSE-S3", `Census key: s3:${action} on a staged object`, "Allowed", asCensusKey((s) => ({ action: `s3:${action}`, resource: stagedObject(s) }))),
  ),
  ...["ListBucket", "GetBucketLocation", "ListBucketMultipartUploads"].map((action) =>
    row("SSE-S3", `Census key: s3:${action} on the staging bucket`, "Allowed", asCensusKey((s) => ({ action: `s3:${action}`, resource: stagingBucket(s) }))),
  ),
  row("SSE-S3", "Census key: s3:PutObject in another bucket", "ImplicitlyDenied", asCensusKey((s) => ({ action: "s3:PutObject", resource: otherBucketObject(s) }))),
  row("SSE-S3", "Census key: s3:GetObject in another bucket", "ImplicitlyDenied", asCensusKey((s) => ({ action: "s3:GetObject", resource: otherBucketObject(s) }))),
  row("SSE-S3", "Census key: s3:PutObject on a staged object without TLS", "ExplicitlyDenied", asCensusKey((s) => ({ action: "s3:PutObject", resource: stagedObject(s), tls: false }))),
  row("SSE-S3", "Census key: s3:GetObject on a staged object without TLS", "ExplicitlyDenied", asCensusKey((s) => ({ action: "s3:GetObject", resource: stagedObject(s), tls: false }))),
  row("SSE-S3", "Census key: s3:ListBucket without TLS", "ExplicitlyDenied", asCensusKey((s) => ({ action: "s3:ListBucket", resource: stagingBucket(s), tls: false }))),
  row("SSE-S3", "Census key: s3:DeleteBucket on the staging bucket", "ImplicitlyDenied", asCensusKey((s) => ({ action: "s3:DeleteBucket", resource: stagingBucket(s) }))),
  row("SSE-S3", "Census key: s3:PutBucketPolicy on the staging bucket", "ImplicitlyDenied", asCensusKey((s) => ({ action: "s3:PutBucketPolicy", resource: stagingBucket(s) }))),
  row("SSE-S3", "Census key: s3:PutLifecycleConfiguration on the staging bucket", "ImplicitlyDenied", asCensusKey((s) => ({ action: "s3:PutLifecycleConfiguration", resource: stagingBucket(s) }))),

  // The Census key and the Pinpoint project.
  ...censusPinpointCalls.map(([action, resource]) =>
    row("SSE-S3", `Census key: mobiletargeting:${action} in the project`, "Allowed", asCensusKey((s) => ({ action: `mobiletargeting:${action}`, resource: resource(s) }))),
  ),
  row("SSE-S3", "Census key: CreateImportJob in another project", "ImplicitlyDenied", asCensusKey((s) => ({ action: "mobiletargeting:CreateImportJob", resource: s.appArn.replace(TEST_PROJECT_ID, OTHER_PROJECT) }))),
  row("SSE-S3", "Census key: CreateImportJob in a project whose ID extends this one", "ImplicitlyDenied", asCensusKey((s) => ({ action: "mobiletargeting:CreateImportJob", resource: `${s.appArn}0` }))),
  row("SSE-S3", "Census key: CreateImportJob in a same-ID project in another region", "ImplicitlyDenied", asCensusKey((s) => ({ action: "mobiletargeting:CreateImportJob", resource: s.appArn.replace(":eu-west-1:", ":us-east-1:") }))),
  row("SSE-S3", "Census key: DeleteApp on the project", "ImplicitlyDenied", asCensusKey((s) => ({ action: "mobiletargeting:DeleteApp", resource: s.appArn }))),

  // The Census key and IAM.
  row("SSE-S3", "Census key: iam:PassRole of the importer role to pinpoint.amazonaws.com", "Allowed", asCensusKey((s) => ({ action: "iam:PassRole", resource: s.importerRoleArn, context: passedTo("pinpoint.amazonaws.com") }))),
  row("SSE-S3", "Census key: iam:PassRole of the importer role to mobiletargeting.amazonaws.com", "Allowed", asCensusKey((s) => ({ action: "iam:PassRole", resource: s.importerRoleArn, context: passedTo("mobiletargeting.amazonaws.com") }))),
  row("SSE-S3", "Census key: iam:PassRole of the importer role to ec2.amazonaws.com", "ImplicitlyDenied", asCensusKey((s) => ({ action: "iam:PassRole", resource: s.importerRoleArn, context: passedTo("ec2.amazonaws.com") }))),
  row("SSE-S3", "Census key: iam:PassRole of another role to pinpoint.amazonaws.com", "ImplicitlyDenied", asCensusKey(() => ({ action: "iam:PassRole", resource: `arn:aws:iam::${TEST_ACCOUNT_ID}:role/Admin`, context: passedTo("pinpoint.amazonaws.com") }))),
  row("SSE-S3", "Census key: iam:GetRole of the importer role", "Allowed", asCensusKey((s) => ({ action: "iam:GetRole", resource: s.importerRoleArn }))),
  row("SSE-S3", "Census key: iam:CreateUser", "ImplicitlyDenied", asCensusKey(() => ({ action: "iam:CreateUser", resource: `arn:aws:iam::${TEST_ACCOUNT_ID}:user/intruder` }))),
  row("SSE-S3", "Census key: iam:CreateAccessKey for its own user", "ImplicitlyDenied", asCensusKey((s) => ({ action: "iam:CreateAccessKey", resource: s.censusUserArn }))),
  row("SSE-S3", "Census key: iam:AttachGroupPolicy on its own group", "ImplicitlyDenied", asCensusKey((s) => ({ action: "iam:AttachGroupPolicy", resource: `arn:aws:iam::${TEST_ACCOUNT_ID}:group/${s.censusUserArn.split("/").pop()}-group` }))),

  // The Census key with SSE-KMS: the key only through S3, for the staging bucket.
  row("SSE-KMS", "Census key: kms:GenerateDataKey on the bucket's key, through S3 for the staging bucket", "Allowed", asCensusKey((s) => ({ action: "kms:GenerateDataKey", resource: KMS_KEY, context: throughS3(s) }))),
  row("SSE-KMS", "Census key: kms:Decrypt on the bucket's key, through S3 for the staging bucket", "Allowed", asCensusKey((s) => ({ action: "kms:Decrypt", resource: KMS_KEY, context: throughS3(s) }))),
  row("SSE-KMS", "Census key: kms:Decrypt on the bucket's key, called directly (not through S3)", "ImplicitlyDenied", asCensusKey(() => ({ action: "kms:Decrypt", resource: KMS_KEY }))),
  row("SSE-KMS", "Census key: kms:GenerateDataKey on the bucket's key, called directly", "ImplicitlyDenied", asCensusKey(() => ({ action: "kms:GenerateDataKey", resource: KMS_KEY }))),
  row("SSE-KMS", "Census key: kms:Decrypt through S3 with another bucket's encryption context", "ImplicitlyDenied", asCensusKey((s) => ({ action: "kms:Decrypt", resource: KMS_KEY, context: throughS3(s, { bucket: OTHER_BUCKET }) }))),
  row("SSE-KMS", "Census key: kms:GenerateDataKey through S3 with another bucket's encryption context", "ImplicitlyDenied", asCensusKey((s) => ({ action: "kms:GenerateDataKey", resource: KMS_KEY, context: throughS3(s, { bucket: OTHER_BUCKET }) }))),
  row("SSE-KMS", "Census key: kms:Decrypt through S3 with an object's ARN as context (Bucket Key turned off)", "ImplicitlyDenied", asCensusKey((s) => ({ action: "kms:Decrypt", resource: KMS_KEY, context: throughS3(s, { context: stagedObject(s) }) }))),
  row("SSE-KMS", "Census key: kms:Decrypt through S3 in another region", "ImplicitlyDenied", asCensusKey((s) => ({ action: "kms:Decrypt", resource: KMS_KEY, context: throughS3(s, { region: "us-east-1" }) }))),
  row("SSE-KMS", "Census key: kms:Decrypt through another service, with the bucket's context", "ImplicitlyDenied", asCensusKey((s) => ({ action: "kms:Decrypt", resource: KMS_KEY, context: { ...throughS3(s), "kms:ViaService": `dynamodb.${s.region}.amazonaws.com` } }))),
  row("SSE-KMS", "Census key: kms:Decrypt on another key, through S3 for the staging bucket", "ImplicitlyDenied", asCensusKey((s) => ({ action: "kms:Decrypt", resource: OTHER_KMS_KEY, context: throughS3(s) }))),
  row("SSE-S3", "Census key: kms:GenerateDataKey when the bucket uses SSE-S3", "ImplicitlyDenied", asCensusKey((s) => ({ action: "kms:GenerateDataKey", resource: KMS_KEY, context: throughS3(s) }))),

  // Uploads under SSE-KMS: only the bucket's key (the bucket policy). Census sends no encryption headers.
  row("SSE-KMS", "Census key: s3:PutObject without encryption headers (the bucket's default)", "Allowed", asCensusKey((s) => ({ action: "s3:PutObject", resource: stagedObject(s) }))),
  row("SSE-KMS", "Census key: s3:PutObject asking for aws:kms with the bucket's key", "Allowed", asCensusKey((s) => ({ action: "s3:PutObject", resource: stagedObject(s), context: { "s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": KMS_KEY } }))),
  row("SSE-KMS", "Census key: s3:PutObject asking for AES256 (SSE-S3)", "ExplicitlyDenied", asCensusKey((s) => ({ action: "s3:PutObject", resource: stagedObject(s), context: { "s3:x-amz-server-side-encryption": "AES256" } }))),
  row("SSE-KMS", "Census key: s3:PutObject asking for aws:kms:dsse with the bucket's key", "ExplicitlyDenied", asCensusKey((s) => ({ action: "s3:PutObject", resource: stagedObject(s), context: { "s3:x-amz-server-side-encryption": "aws:kms:dsse", "s3:x-amz-server-side-encryption-aws-kms-key-id": KMS_KEY } }))),
  row("SSE-KMS", "Census key: s3:PutObject naming another KMS key", "ExplicitlyDenied", asCensusKey((s) => ({ action: "s3:PutObject", resource: stagedObject(s), context: { "s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": OTHER_KMS_KEY } }))),
  row("SSE-KMS", "Census key: s3:PutObject asking for aws:kms without a key (S3 would use aws/s3)", "ExplicitlyDenied", asCensusKey((s) => ({ action: "s3:PutObject", resource: stagedObject(s), context: { "s3:x-amz-server-side-encryption": "aws:kms" } }))),
  row("SSE-KMS", "Census key: s3:PutObject with a customer-provided key (SSE-C)", "ExplicitlyDenied", asCensusKey((s) => ({ action: "s3:PutObject", resource: stagedObject(s), context: { "s3:x-amz-server-side-encryption-customer-algorithm": "AES256" } }))),
  row("SSE-S3", "Census key: s3:PutObject asking for AES256 when the bucket uses SSE-S3", "Allowed", asCensusKey((s) => ({ action: "s3:PutObject", resource: stagedObject(s), context: { "s3:x-amz-server-side-encryption": "AES256" } }))),

  // The importer role, as Pinpoint uses it during an import.
  row("SSE-S3", "importer role: s3:GetObject on a staged object", "Allowed", asImporterRole((s) => ({ action: "s3:GetObject", resource: stagedObject(s) }))),
  row("SSE-S3", "importer role: s3:ListBucket on the staging bucket", "Allowed", asImporterRole((s) => ({ action: "s3:ListBucket", resource: stagingBucket(s) }))),
  row("SSE-S3", "importer role: s3:GetBucketLocation on the staging bucket", "Allowed", asImporterRole((s) => ({ action: "s3:GetBucketLocation", resource: stagingBucket(s) }))),
  row("SSE-S3", "importer role: s3:PutObject on a staged object", "ImplicitlyDenied", asImporterRole((s) => ({ action: "s3:PutObject", resource: stagedObject(s) }))),
  row("SSE-S3", "importer role: s3:DeleteObject on a staged object", "ImplicitlyDenied", asImporterRole((s) => ({ action: "s3:DeleteObject", resource: stagedObject(s) }))),
  row("SSE-S3", "importer role: s3:GetObject in another bucket", "ImplicitlyDenied", asImporterRole((s) => ({ action: "s3:GetObject", resource: otherBucketObject(s) }))),
  row("SSE-S3", "importer role: s3:GetObject without TLS", "ExplicitlyDenied", asImporterRole((s) => ({ action: "s3:GetObject", resource: stagedObject(s), tls: false }))),
  row("SSE-S3", "importer role: mobiletargeting:CreateImportJob in the project", "ImplicitlyDenied", asImporterRole((s) => ({ action: "mobiletargeting:CreateImportJob", resource: s.appArn }))),
  row("SSE-KMS", "importer role: s3:GetObject on a staged object", "Allowed", asImporterRole((s) => ({ action: "s3:GetObject", resource: stagedObject(s) }))),
  row("SSE-KMS", "importer role: kms:Decrypt on the bucket's key, through S3 for the staging bucket", "Allowed", asImporterRole((s) => ({ action: "kms:Decrypt", resource: KMS_KEY, context: throughS3(s) }))),
  row("SSE-KMS", "importer role: kms:Decrypt on the bucket's key, called directly (not through S3)", "ImplicitlyDenied", asImporterRole(() => ({ action: "kms:Decrypt", resource: KMS_KEY }))),
  row("SSE-KMS", "importer role: kms:Decrypt through S3 with another bucket's encryption context", "ImplicitlyDenied", asImporterRole((s) => ({ action: "kms:Decrypt", resource: KMS_KEY, context: throughS3(s, { bucket: OTHER_BUCKET }) }))),
  row("SSE-KMS", "importer role: kms:Decrypt on another key, through S3 for the staging bucket", "ImplicitlyDenied", asImporterRole((s) => ({ action: "kms:Decrypt", resource: OTHER_KMS_KEY, context: throughS3(s) }))),
  row("SSE-KMS", "importer role: kms:GenerateDataKey on the bucket's key, through S3 for the staging bucket", "ImplicitlyDenied", asImporterRole((s) => ({ action: "kms:GenerateDataKey", resource: KMS_KEY, context: throughS3(s) }))),
  row("SSE-S3", "importer role: kms:Decrypt when the bucket uses SSE-S3", "ImplicitlyDenied", asImporterRole((s) => ({ action: "kms:Decrypt", resource: KMS_KEY, context: throughS3(s) }))),

  // Who may assume the importer role.
  row("SSE-S3", "trust: Pinpoint, for this account's project", "Allowed", assumingImporterRole("pinpoint.amazonaws.com", (s) => fromPinpointProject(TEST_ACCOUNT_ID, s.appArn))),
  row("SSE-S3", "trust: Pinpoint, for a project in another account", "ImplicitlyDenied", assumingImporterRole("pinpoint.amazonaws.com", (s) => fromPinpointProject(OTHER_ACCOUNT, s.appArn.replace(TEST_ACCOUNT_ID, OTHER_ACCOUNT)))),
  row("SSE-S3", "trust: Pinpoint, for another project in this account", "ImplicitlyDenied", assumingImporterRole("pinpoint.amazonaws.com", (s) => fromPinpointProject(TEST_ACCOUNT_ID, s.appArn.replace(TEST_PROJECT_ID, OTHER_PROJECT)))),
  row("SSE-S3", "trust: Pinpoint, for an import job of this account's project", "Allowed", assumingImporterRole("pinpoint.amazonaws.com", (s) => fromPinpointProject(TEST_ACCOUNT_ID, importJob(s)))),
  row("SSE-S3", "trust: Pinpoint, for a project whose ID extends this one", "ImplicitlyDenied", assumingImporterRole("pinpoint.amazonaws.com", (s) => fromPinpointProject(TEST_ACCOUNT_ID, `${s.appArn}0`))),
  row("SSE-S3", "trust: Pinpoint, for an import job of a project whose ID extends this one", "ImplicitlyDenied", assumingImporterRole("pinpoint.amazonaws.com", (s) => fromPinpointProject(TEST_ACCOUNT_ID, importJob(s).replace(TEST_PROJECT_ID, `${TEST_PROJECT_ID}0`)))),
  row("SSE-S3", "trust: Pinpoint, for an import job of a project in another account", "ImplicitlyDenied", assumingImporterRole("pinpoint.amazonaws.com", (s) => fromPinpointProject(OTHER_ACCOUNT, importJob(s).replace(TEST_ACCOUNT_ID, OTHER_ACCOUNT)))),
  row("SSE-S3", "trust: Pinpoint, naming no source project", "ImplicitlyDenied", assumingImporterRole("pinpoint.amazonaws.com", () => ({}))),
  row("SSE-S3", "trust: another service, for this account's project", "ImplicitlyDenied", assumingImporterRole("ec2.amazonaws.com", (s) => fromPinpointProject(TEST_ACCOUNT_ID, s.appArn))),
  row("SSE-S3", "trust: an IAM user of this account", "ImplicitlyDenied", assumingImporterRole(`arn:aws:iam::${TEST_ACCOUNT_ID}:user/developer`, () => ({}))),

  // In GovCloud the ARNs are in aws-us-gov; wrong-partition ARNs would make all of these fail.
  row("GovCloud", "Census key: s3:PutObject on a staged object", "Allowed", asCensusKey((s) => ({ action: "s3:PutObject", resource: stagedObject(s) }))),
  row("GovCloud", "Census key: CreateImportJob in the project", "Allowed", asCensusKey((s) => ({ action: "mobiletargeting:CreateImportJob", resource: s.appArn }))),
  row("GovCloud", "Census key: iam:PassRole of the importer role to pinpoint.amazonaws.com", "Allowed", asCensusKey((s) => ({ action: "iam:PassRole", resource: s.importerRoleArn, context: passedTo("pinpoint.amazonaws.com") }))),
  row("GovCloud", "Census key: s3:PutObject without TLS", "ExplicitlyDenied", asCensusKey((s) => ({ action: "s3:PutObject", resource: stagedObject(s), tls: false }))),
  row("GovCloud", "importer role: s3:GetObject on a staged object", "Allowed", asImporterRole((s) => ({ action: "s3:GetObject", resource: stagedObject(s) }))),
  row("GovCloud", "trust: Pinpoint, for this account's project", "Allowed", assumingImporterRole("pinpoint.amazonaws.com", (s) => fromPinpointProject(TEST_ACCOUNT_ID, s.appArn))),
  // GovCloud's S3 endpoint keeps the commercial DNS suffix (s3.us-gov-west-1.amazonaws.com).
  row("GovCloud SSE-KMS", "Census key: kms:GenerateDataKey on the bucket's key, through S3 for the staging bucket", "Allowed", asCensusKey((s) => ({ action: "kms:GenerateDataKey", resource: GOV_KMS_KEY, context: throughS3(s) }))),
  row("GovCloud SSE-KMS", "importer role: kms:Decrypt on the bucket's key, through S3 for the staging bucket", "Allowed", asImporterRole((s) => ({ action: "kms:Decrypt", resource: GOV_KMS_KEY, context: throughS3(s) }))),
  row("GovCloud SSE-KMS", "importer role: kms:Decrypt on the bucket's key, called directly", "ImplicitlyDenied", asImporterRole(() => ({ action: "kms:Decrypt", resource: GOV_KMS_KEY }))),
  row("GovCloud SSE-KMS", "Census key: s3:PutObject asking for AES256 (SSE-S3)", "ExplicitlyDenied", asCensusKey((s) => ({ action: "s3:PutObject", resource: stagedObject(s), context: { "s3:x-amz-server-side-encryption": "AES256" } }))),
];

// The simulator knows `kms:EncryptionContext:<key>` but expands only `/`-style variable keys when it
// checks a request's context keys, so it would drop `kms:EncryptionContext:aws:s3:arn`. Requests that
// carry it are checked here with the pattern expanded, then evaluated without the simulator's check
// (runUnsafeSimulation). That path loads a resource policy without a name and then fails reading it
// (iam-simulate 0.1.173), so the key policy goes in as iam-policy's plain "validated policy" record,
// which carries one.
const ENCRYPTION_CONTEXT = /^kms:EncryptionContext:.+/;

async function evaluate(simulation: Simulation): Promise<string> {
  const keys = Object.keys(simulation.request.contextVariables);
  if (!keys.some((key) => ENCRYPTION_CONTEXT.test(key))) {
    const result = await runSimulation(simulation, {});
    // A malformed request or policy must fail the test, not pass as "denied".
    if (result.resultType === "error") throw new Error(`the simulator refused the request: ${JSON.stringify(result.errors)}`);
    if (result.resultType !== "single") throw new Error(`expected one evaluation of one resource, got ${result.resultType}`);
    // A context key the simulator drops would let a condition pass or fail for the wrong reason.
    expect(result.result.ignoredContextKeys).toEqual([]);
    return result.overallResult;
  }
  const [service, action] = simulation.request.action.split(":") as [string, string];
  const allowed = await allowedContextKeysForRequest(service, action, simulation.request.resource.resource, false, undefined);
  const known = (key: string) => allowed.includes(key.toLowerCase()) || (ENCRYPTION_CONTEXT.test(key) && allowed.includes("kms:encryptioncontext:${encryptioncontextkey}"));
  expect(keys.filter((key) => !known(key))).toEqual([]);
  const keyPolicy = { __validated: true, policyDocument: simulation.resourcePolicy, metadata: { name: "key-policy" }, errors: [] };
  return runUnsafeSimulation({ ...simulation, resourcePolicy: keyPolicy }, {});
}

test.each(rows)("[$setup] $name → $expected", async ({ setup, build, expected }) => {
  expect(await evaluate(build(stacks[setup]))).toBe(expected);
});
