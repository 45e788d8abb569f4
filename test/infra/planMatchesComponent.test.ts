// `plan` describes the stack without Pulumi; this keeps its description identical to what the component
// actually registers (types, logical and physical names, and the exact policy JSON).
import { installMocks, resolve, settle, TEST_ACCOUNT_ID, TEST_PROJECT_ID, type MockRun } from "../helpers/pulumiMocks.js";
import { planStaging, type StagingPlan } from "../../infra/plan.js";

const KMS_KEY = `arn:aws:kms:eu-west-1:${TEST_ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
let run: MockRun;
let plan: StagingPlan;

beforeAll(async () => {
  run = installMocks({
    "aws:region": "eu-west-1",
    "census-pinpoint:pinpointProjectId": TEST_PROJECT_ID,
    "census-pinpoint:expirationDays": "14",
    "census-pinpoint:kmsKeyArn": KMS_KEY,
  });
  const { censusPinpointStack } = await import("../../infra/stack.js");
  const outputs = censusPinpointStack();
  await Promise.all(Object.values(outputs).map(resolve));
  await settle();
  plan = planStaging({ region: "eu-west-1", pinpointProjectId: TEST_PROJECT_ID, accountId: TEST_ACCOUNT_ID, expirationDays: 14, kmsKeyArn: KMS_KEY });
});

function registered(type: string, name: string) {
  const found = run.resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`the component registers no ${type} named ${name}`);
  return found;
}

test("plan lists exactly the resources the component registers", () => {
  const fromComponent = run.resources.filter((r) => r.type.startsWith("aws:")).map((r) => `${r.type} ${r.name}`);
  expect(plan.resources.map((r) => `${r.type} ${r.name}`).sort()).toEqual(fromComponent.sort());
});

test("plan's physical names are the names the component gives AWS", () => {
  for (const resource of plan.resources.filter((r) => r.physicalName)) {
    const inputs = registered(resource.type, resource.name).inputs;
    expect(inputs.bucket ?? inputs.name).toBe(resource.physicalName);
  }
});

test("plan's policy documents are byte for byte the ones the component deploys", () => {
  expect(JSON.parse(registered("aws:iam/role:Role", "census-pinpoint-importer-role").inputs.assumeRolePolicy)).toEqual(plan.policies.importerTrust);
  expect(JSON.parse(registered("aws:iam/policy:Policy", "census-pinpoint-importer-policy").inputs.policy)).toEqual(plan.policies.importerAccess);
  expect(JSON.parse(registered("aws:iam/policy:Policy", "census-pinpoint-census-policy").inputs.policy)).toEqual(plan.policies.censusAccess);
  expect(JSON.parse(registered("aws:s3/bucketPolicy:BucketPolicy", "census-pinpoint-staging-tls-only").inputs.policy)).toEqual(plan.policies.bucket);
});

test("plan reports the lifecycle and encryption the component configures", () => {
  const lifecycle = registered("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "census-pinpoint-staging-lifecycle").inputs;
  expect(lifecycle.rules[0].expiration.days).toBe(14);
  const encryption = registered("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "census-pinpoint-staging-encryption").inputs;
  expect(encryption.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId).toBe(KMS_KEY);
  const planned = plan.resources.find((r) => r.name === "census-pinpoint-staging-encryption")!;
  expect(planned.settings).toMatchObject({ sseAlgorithm: "aws:kms", kmsMasterKeyId: KMS_KEY, bucketKeyEnabled: true });
  expect(plan.resources.find((r) => r.name === "census-pinpoint-staging-lifecycle")!.settings).toMatchObject({ expireAfterDays: 14 });
});
