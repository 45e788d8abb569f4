// `verify` against moto_server: a setup built in moto passes, then each thing that can break it fails
// its own check with a message and a fix, and the probe object never stays behind. moto does not
// implement IAM's policy simulator (those checks are skipped here; see test/wizard/verify/) and does
// not reject an inactive key (the administrator's IAM lookup catches it).
import { DeleteAccessKeyCommand, IAMClient, UpdateAccessKeyCommand } from "@aws-sdk/client-iam";
import { DeleteAppCommand, PinpointClient } from "@aws-sdk/client-pinpoint";
import { DeleteBucketCommand, S3Client } from "@aws-sdk/client-s3";
import type { ProgressEvent } from "../../wizard/progress.js";
import { verifyStaging, type VerifyCheck, type VerifyInput, type VerifyReport } from "../../wizard/verify/verifyStaging.js";
import { DUMMY_CREDENTIALS, MOTO_ACCOUNT_ID, useMoto } from "../helpers/moto.js";
import { createMotoAdmin, createMotoStaging, objectKeys, type MotoStaging } from "../helpers/motoStaging.js";

const REGION = "eu-west-1";
const moto = useMoto({ resetBeforeEach: false });

/** The administrator's credentials come from the default chain, as for a user without --profile. */
async function useAdmin(): Promise<void> {
  const admin = await createMotoAdmin(REGION);
  process.env.AWS_ACCESS_KEY_ID = admin.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = admin.secretAccessKey;
}

beforeEach(async () => {
  delete process.env.AWS_ACCESS_KEY_ID;
  delete process.env.AWS_SECRET_ACCESS_KEY;
  await moto.reset();
  await useAdmin();
});

function inputFor(staging: MotoStaging): VerifyInput {
  return {
    region: staging.region,
    projectId: staging.projectId,
    bucketName: staging.bucketName,
    importerRoleArn: staging.importerRoleArn,
    key: { credentials: staging.key },
    admin: {},
    censusUserArn: staging.censusUserArn,
    keyCreatedAt: staging.keyCreatedAt,
  };
}

async function verify(input: VerifyInput): Promise<{ report: VerifyReport; events: ProgressEvent[]; sleeps: number[] }> {
  const events: ProgressEvent[] = [];
  const sleeps: number[] = [];
  const report = await verifyStaging(input, {
    onProgress: (event) => events.push(event),
    env: process.env,
    sleep: async (ms) => void sleeps.push(ms),
  });
  return { report, events, sleeps };
}

function check(report: VerifyReport, id: VerifyCheck["id"]): VerifyCheck {
  const found = report.checks.find((entry) => entry.id === id);
  if (!found) throw new Error(`no check ${id} in ${report.checks.map((entry) => entry.id).join(", ")}`);
  return found;
}

function failedIds(report: VerifyReport): string[] {
  return report.checks.filter((entry) => entry.status === "failed").map((entry) => entry.id);
}

const POLICY_CHECKS: Array<VerifyCheck["id"]> = ["policy-import-job", "policy-pass-role", "policy-put-object", "policy-least-privilege"];

test("a complete setup passes every check moto can answer, and leaves no probe behind", async () => {
  const staging = await createMotoStaging(REGION);
  const { report, events, sleeps } = await verify(inputFor(staging));

  expect(failedIds(report)).toEqual([]);
  expect(report.ok).toBe(true);
  expect(report.checks.map((entry) => entry.id)).toEqual([
    "key-identity",
    "key-active",
    "bucket-region",
    "bucket-put",
    "bucket-get",
    "bucket-list",
    "bucket-delete",
    "pinpoint-project",
    ...POLICY_CHECKS,
    "role-trust",
    "role-conditions",
  ]);
  expect(check(report, "key-identity").detail).toBe(staging.censusUserArn);
  expect(check(report, "bucket-region").detail).toBe(`s3://${staging.bucketName} in ${REGION}`);
  expect(check(report, "pinpoint-project").detail).toBe('"Marketing"');
  expect(check(report, "role-conditions").detail).toBe(
    `aws:SourceAccount ${MOTO_ACCOUNT_ID}; aws:SourceArn arn:aws:mobiletargeting:${REGION}:${MOTO_ACCOUNT_ID}:apps/${staging.projectId}, arn:aws:mobiletargeting:${REGION}:${MOTO_ACCOUNT_ID}:apps/${staging.projectId}/*`,
  );
  // moto answers SimulatePrincipalPolicy with HTTP 500: skipped, saying why, not failed.
  for (const id of POLICY_CHECKS) {
    expect(check(report, id)).toMatchObject({ status: "skipped", detail: expect.stringContaining("do not implement it") });
  }
  expect(await objectKeys(REGION, staging.bucketName)).toEqual([]);
  expect(sleeps).toEqual([]);
  expect(events.filter((event) => event.kind === "waiting")).toEqual([]);
  expect(JSON.stringify(report)).not.toContain(staging.key.secretAccessKey);
});

test("a bucket in another region: the region check fails naming where it is; the probe still runs there and is removed", async () => {
  const staging = await createMotoStaging(REGION, { bucketRegion: "eu-central-1" });
  const { report } = await verify(inputFor(staging));

  expect(report.ok).toBe(false);
  expect(failedIds(report)).toEqual(["bucket-region"]);
  const region = check(report, "bucket-region");
  expect(region.detail).toBe(`The bucket is in eu-central-1, not in ${REGION}, the Pinpoint project's region`);
  expect(region.fix).toContain(`Use a bucket in ${REGION}`);
  expect(region.fix).toContain("--region eu-central-1");
  expect(check(report, "bucket-put").status).toBe("passed");
  expect(check(report, "bucket-delete").status).toBe("passed");
  expect(await objectKeys("eu-central-1", staging.bucketName)).toEqual([]);
});

test("a deleted bucket: the region check says so and the object checks are skipped", async () => {
  const staging = await createMotoStaging(REGION);
  const s3 = new S3Client({ region: REGION, credentials: DUMMY_CREDENTIALS, forcePathStyle: true });
  await s3.send(new DeleteBucketCommand({ Bucket: staging.bucketName }));
  s3.destroy();
  const { report, sleeps } = await verify(inputFor(staging));

  expect(failedIds(report)).toEqual(["bucket-region"]);
  expect(check(report, "bucket-region")).toMatchObject({
    detail: `There is no bucket ${staging.bucketName}`,
    fix: expect.stringContaining(`census-pinpoint setup --region ${REGION} --project-id ${staging.projectId}`),
  });
  for (const id of ["bucket-put", "bucket-get", "bucket-list", "bucket-delete"] as const) {
    expect(check(report, id)).toMatchObject({ status: "skipped", detail: "there is no bucket" });
  }
  expect(sleeps).toEqual([]);
});

test("a deactivated key: the key-status check fails with how to reactivate or replace it", async () => {
  const staging = await createMotoStaging(REGION);
  const iam = new IAMClient({ region: REGION, credentials: DUMMY_CREDENTIALS });
  await iam.send(new UpdateAccessKeyCommand({ UserName: staging.censusUserName, AccessKeyId: staging.key.accessKeyId, Status: "Inactive" }));
  iam.destroy();
  const { report } = await verify(inputFor(staging));

  expect(report.ok).toBe(false);
  const active = check(report, "key-active");
  expect(active.status).toBe("failed");
  expect(active.detail).toContain(`IAM lists it as Inactive (user ${staging.censusUserName}`);
  expect(active.fix).toContain(`aws iam update-access-key --user-name ${staging.censusUserName} --access-key-id ${staging.key.accessKeyId} --status Active`);
  expect(active.fix).toContain("census-pinpoint rotate-key");
  expect(await objectKeys(REGION, staging.bucketName)).toEqual([]);
});

test("a deleted key: AWS rejects it, verify does not wait for it, and says to replace it", async () => {
  const staging = await createMotoStaging(REGION);
  const iam = new IAMClient({ region: REGION, credentials: DUMMY_CREDENTIALS });
  await iam.send(new DeleteAccessKeyCommand({ UserName: staging.censusUserName, AccessKeyId: staging.key.accessKeyId }));
  iam.destroy();
  // With enforcement on, moto rejects keys it does not know, as AWS does.
  await moto.enforceIam(true);
  // Created yesterday by the stack's account of it: a key deleted seconds after its creation might
  // just be missing from IAM's listing for a moment, and would be waited for.
  const yesterday = new Date(Date.now() - 86_400_000).toISOString();
  const { report, sleeps, events } = await verify({ ...inputFor(staging), keyCreatedAt: yesterday });

  expect(failedIds(report)).toEqual(["key-identity", "key-active"]);
  const identity = check(report, "key-identity");
  expect(identity.detail).toBe(`AWS rejects access key ${staging.key.accessKeyId} (InvalidClientTokenId): IAM has no such key in the account (deleted?)`);
  expect(identity.fix).toContain("census-pinpoint rotate-key");
  expect(check(report, "key-active").detail).toBe(`IAM has no access key ${staging.key.accessKeyId} in account ${MOTO_ACCOUNT_ID}: it was deleted`);
  for (const id of ["bucket-region", "bucket-put", "pinpoint-project"] as const) {
    expect(check(report, id)).toMatchObject({ status: "skipped", detail: "not run: the access key does not work" });
  }
  expect(sleeps).toEqual([]);
  expect(events.filter((event) => event.kind === "waiting")).toEqual([]);
  expect(JSON.stringify(report)).not.toContain(staging.key.secretAccessKey);
  await moto.enforceIam(false);
  expect(await objectKeys(REGION, staging.bucketName)).toEqual([]);
});

test("a missing Pinpoint project: the project check fails with where to find the ID", async () => {
  const staging = await createMotoStaging(REGION);
  const pinpoint = new PinpointClient({ region: REGION, credentials: DUMMY_CREDENTIALS });
  await pinpoint.send(new DeleteAppCommand({ ApplicationId: staging.projectId }));
  pinpoint.destroy();
  const { report } = await verify(inputFor(staging));

  expect(failedIds(report)).toEqual(["pinpoint-project"]);
  expect(check(report, "pinpoint-project")).toMatchObject({
    detail: `There is no Pinpoint project ${staging.projectId} in ${REGION} (account ${MOTO_ACCOUNT_ID})`,
    fix: expect.stringContaining("Pinpoint console → All projects → Project ID"),
  });
  expect(await objectKeys(REGION, staging.bucketName)).toEqual([]);
});

test("a key that is not the stack's Census user's fails the identity check", async () => {
  const staging = await createMotoStaging(REGION);
  const { report } = await verify({ ...inputFor(staging), censusUserArn: `arn:aws:iam::${MOTO_ACCOUNT_ID}:user/someone-else` });

  expect(failedIds(report)).toEqual(["key-identity"]);
  expect(check(report, "key-identity").detail).toBe(`The key belongs to ${staging.censusUserArn}, not to the stack's Census user arn:aws:iam::${MOTO_ACCOUNT_ID}:user/someone-else`);
});
