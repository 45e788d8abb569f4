// The checks made with the Census key, with mocked clients where moto cannot produce the answer:
// a key AWS accepts only after a few seconds, a policy that applies late, a step failing between the
// probe's upload and its deletion, a refusal for Pinpoint's end of support. No test waits: the sleep
// is injected and recorded.
import { PinpointClient, GetAppCommand, PinpointServiceException } from "@aws-sdk/client-pinpoint";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type PutObjectCommandInput,
} from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient, STSServiceException } from "@aws-sdk/client-sts";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import type { ProgressEvent } from "../../../wizard/progress.js";
import { checkBucket } from "../../../wizard/verify/bucketChecks.js";
import { checkIdentity, type ResolvedKey } from "../../../wizard/verify/identityCheck.js";
import { scopeOf, type VerifyInput } from "../../../wizard/verify/input.js";
import type { KeyState } from "../../../wizard/verify/keyState.js";
import { checkPinpointProject } from "../../../wizard/verify/pinpointCheck.js";
import { freshnessOf, PROPAGATION_WINDOW_MS, type KeyFreshness } from "../../../wizard/verify/propagation.js";
import type { VerifyCheck } from "../../../wizard/verify/report.js";
import { createRetryBudget, type RetryBudget } from "../../../wizard/verify/retry.js";
import { DUMMY_CREDENTIALS } from "../../helpers/moto.js";

const ACCOUNT = "123456789012";
const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/census-pinpoint-01234567`;
const BUCKET = `census-pinpoint-staging-${ACCOUNT}-us-east-1`;
const input: VerifyInput = {
  region: "us-east-1",
  projectId: "0123456789abcdef0123456789abcdef",
  bucketName: BUCKET,
  importerRoleArn: `arn:aws:iam::${ACCOUNT}:role/CensusPinpointSegmentImporter-01234567`,
  key: { credentials: DUMMY_CREDENTIALS },
  admin: {},
  censusUserArn: USER_ARN,
};
const scope = scopeOf(input, {}, new Date());
const key: ResolvedKey = { ok: true, target: { region: "us-east-1", credentials: DUMMY_CREDENTIALS, env: {} }, accessKeyId: DUMMY_CREDENTIALS.accessKeyId };
const ACTIVE: KeyState = { known: true, status: "active", userName: "census-pinpoint-01234567" };
const NEW_KEY: KeyFreshness = { keyMayPropagate: true, policyMayPropagate: true };
const OLD_KEY: KeyFreshness = { keyMayPropagate: false, policyMayPropagate: false };

let sts: AwsClientStub<STSClient>;
let s3: AwsClientStub<S3Client>;
let pinpoint: AwsClientStub<PinpointClient>;
beforeAll(() => {
  sts = mockClient(STSClient);
  s3 = mockClient(S3Client);
  pinpoint = mockClient(PinpointClient);
});
afterEach(() => {
  sts.reset();
  s3.reset();
  pinpoint.reset();
});
afterAll(() => {
  sts.restore();
  s3.restore();
  pinpoint.restore();
});

function recordingBudget(maxWaitMs = 60_000): { budget: RetryBudget; sleeps: number[]; waiting: string[] } {
  const sleeps: number[] = [];
  const waiting: string[] = [];
  const budget = createRetryBudget({
    maxWaitMs,
    sleep: async (ms) => void sleeps.push(ms),
    onProgress: (event: ProgressEvent) => event.kind === "waiting" && waiting.push(event.message),
  });
  return { budget, sleeps, waiting };
}

const invalidKey = () =>
  new STSServiceException({ name: "InvalidClientTokenId", $fault: "client", $metadata: { httpStatusCode: 403 }, message: "The security token included in the request is invalid." });

const s3Denied = (action: string) =>
  new S3ServiceException({
    name: "AccessDenied",
    $fault: "client",
    $metadata: { httpStatusCode: 403 },
    message: `User: ${USER_ARN} is not authorized to perform: ${action} on resource: "arn:aws:s3:::${BUCKET}/x" because no identity-based policy allows the ${action} action`,
  });

const IDENTITY = { Account: ACCOUNT, Arn: USER_ARN, UserId: "AIDAEXAMPLE" };

describe("a new key that AWS does not know yet", () => {
  test("is retried with growing delays, saying it is waiting, until it works", async () => {
    sts.on(GetCallerIdentityCommand).rejectsOnce(invalidKey()).rejectsOnce(invalidKey()).resolves(IDENTITY);
    const { budget, sleeps, waiting } = recordingBudget();
    const result = await checkIdentity(scope, key, ACTIVE, NEW_KEY, budget);

    expect(result.check).toMatchObject({ status: "passed", detail: USER_ARN });
    expect(sleeps).toEqual([1000, 2000]);
    expect(waiting).toEqual([
      "AWS does not accept the access key yet (InvalidClientTokenId); a new key takes a few seconds to reach every service; trying again in 1 s",
      "AWS does not accept the access key yet (InvalidClientTokenId); a new key takes a few seconds to reach every service; trying again in 2 s",
    ]);
  });

  test("is given up on after 60 s of waiting in total, and the check says so", async () => {
    sts.on(GetCallerIdentityCommand).rejects(invalidKey());
    const { budget, sleeps } = recordingBudget();
    const result = await checkIdentity(scope, key, ACTIVE, NEW_KEY, budget);

    expect(sleeps).toEqual([1000, 2000, 4000, 8000, 16000, 29000]);
    expect(result.check).toMatchObject({
      status: "failed",
      detail: `AWS rejects access key ${DUMMY_CREDENTIALS.accessKeyId} (InvalidClientTokenId), still after waiting 60 s`,
      fix: expect.stringContaining("census-pinpoint rotate-key"),
    });
    expect(result.works).toBe(false);
  });

  test("the budget is shared: a second call waits only what is left", async () => {
    sts.on(GetCallerIdentityCommand).rejects(invalidKey());
    const { budget, sleeps } = recordingBudget(5_000);
    await checkIdentity(scope, key, ACTIVE, NEW_KEY, budget);
    await checkIdentity(scope, key, ACTIVE, NEW_KEY, budget);
    expect(sleeps).toEqual([1000, 2000, 2000]);
  });

  test("a deactivated key is not waited for", async () => {
    sts.on(GetCallerIdentityCommand).rejects(invalidKey());
    const { budget, sleeps } = recordingBudget();
    const state: KeyState = { known: true, status: "inactive", userName: "census-pinpoint-01234567" };
    const freshness = freshnessOf({ keyStatus: "inactive", keyCreatedAt: new Date(), now: new Date() });
    const result = await checkIdentity(scope, key, state, freshness, budget);
    expect(sleeps).toEqual([]);
    expect(result.check.detail).toBe(`AWS rejects access key ${DUMMY_CREDENTIALS.accessKeyId} (InvalidClientTokenId): IAM lists the key as Inactive`);
  });
});

test("which keys may still be propagating", () => {
  const now = new Date("2026-06-01T12:00:00Z");
  const ago = (ms: number) => new Date(now.getTime() - ms);
  expect(freshnessOf({ keyCreatedAt: ago(10_000), keyStatus: "active", now })).toEqual({ keyMayPropagate: true, policyMayPropagate: true });
  expect(freshnessOf({ keyCreatedAt: ago(PROPAGATION_WINDOW_MS + 1), keyStatus: "active", now })).toEqual({ keyMayPropagate: false, policyMayPropagate: false });
  expect(freshnessOf({ keyCreatedAt: ago(PROPAGATION_WINDOW_MS + 1), recentlyChanged: true, now })).toEqual({ keyMayPropagate: false, policyMayPropagate: true });
  expect(freshnessOf({ keyStatus: "absent", now })).toEqual({ keyMayPropagate: false, policyMayPropagate: false });
  // A key the stack created seconds ago may be missing from IAM's listing for a moment too.
  expect(freshnessOf({ keyStatus: "absent", keyCreatedAt: ago(10_000), now })).toEqual({ keyMayPropagate: true, policyMayPropagate: true });
  // Nothing known (a profile's key, no administrator): a rejection may be propagation, a refusal not.
  expect(freshnessOf({ now })).toEqual({ keyMayPropagate: true, policyMayPropagate: false });
});

describe("the S3 probe", () => {
  let stored: string | undefined;
  beforeEach(() => {
    stored = undefined;
    s3.on(HeadBucketCommand).resolves({ BucketRegion: "us-east-1" });
    s3.on(PutObjectCommand).callsFake((request: PutObjectCommandInput) => {
      stored = String(request.Body);
      return {};
    });
    s3.on(GetObjectCommand).callsFake(() => ({ Body: { transformToString: async () => stored } }));
    s3.on(ListObjectsV2Command).callsFake(() => ({ Contents: [{ Key: scope.probeKey }] }));
    s3.on(DeleteObjectCommand).resolves({});
  });

  const byId = (checks: VerifyCheck[]) => Object.fromEntries(checks.map((check) => [check.id, check]));

  test("a just-attached policy: a refusal is retried for a new key and then passes", async () => {
    s3.on(PutObjectCommand).rejectsOnce(s3Denied("s3:PutObject")).resolves({});
    const { budget, sleeps, waiting } = recordingBudget();
    const checks = byId(await checkBucket(scope, key.target, NEW_KEY, budget));
    expect(checks["bucket-put"]!.status).toBe("passed");
    expect(sleeps).toEqual([1000]);
    expect(waiting[0]).toContain("AWS still refuses s3:PutObject to the access key; new permissions take a few seconds to apply");
  });

  test("for an old key a refusal fails at once with what to grant, and the probe is deleted anyway", async () => {
    s3.on(PutObjectCommand).rejects(s3Denied("s3:PutObject"));
    const { budget, sleeps } = recordingBudget();
    const checks = byId(await checkBucket(scope, key.target, OLD_KEY, budget));
    expect(sleeps).toEqual([]);
    expect(checks["bucket-put"]).toMatchObject({ status: "failed", fix: expect.stringContaining(`Grant the Census user s3:PutObject on arn:aws:s3:::${BUCKET}/*`) });
    expect(checks["bucket-get"]).toMatchObject({ status: "skipped", detail: "nothing was uploaded" });
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(1);
  });

  test("a failing read does not stop the clean-up: the probe is deleted", async () => {
    s3.on(GetObjectCommand).rejects(s3Denied("s3:GetObject"));
    const checks = byId(await checkBucket(scope, key.target, OLD_KEY, recordingBudget().budget));
    expect(checks["bucket-get"]!.status).toBe("failed");
    expect(checks["bucket-list"]!.status).toBe("passed");
    expect(checks["bucket-delete"]!.status).toBe("passed");
    expect(s3.commandCalls(DeleteObjectCommand).map((call) => call.args[0].input)).toEqual([{ Bucket: BUCKET, Key: scope.probeKey }]);
    expect(scope.probeKey).toMatch(/^census-pinpoint-verify\/.+\.csv$/);
  });

  test("a key that may not delete: the administrator's credentials remove the probe, and the check says so", async () => {
    s3.on(DeleteObjectCommand).rejectsOnce(s3Denied("s3:DeleteObject")).resolves({});
    const check = byId(await checkBucket(scope, key.target, OLD_KEY, recordingBudget().budget))["bucket-delete"]!;
    expect(check.status).toBe("failed");
    expect(check.detail).toContain(`the probe file s3://${BUCKET}/${scope.probeKey} was deleted with your own credentials instead`);
    expect(check.fix).toContain("Grant the Census user s3:DeleteObject");
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(2);
  });

  test("asked in the wrong region, S3's redirect names the bucket's region", async () => {
    s3.on(HeadBucketCommand).rejects(
      Object.assign(new S3ServiceException({ name: "PermanentRedirect", $fault: "client", $metadata: { httpStatusCode: 301 } }), {
        $response: { headers: { "x-amz-bucket-region": "eu-west-2" } },
      }),
    );
    const checks = byId(await checkBucket(scope, key.target, OLD_KEY, recordingBudget().budget));
    expect(checks["bucket-region"]).toMatchObject({ status: "failed", detail: "The bucket is in eu-west-2, not in us-east-1, the Pinpoint project's region" });
    expect(checks["bucket-put"]!.status).toBe("passed");
    // The probe went where the bucket is, to tell whether the key could use it there.
    expect(await (s3.commandCalls(PutObjectCommand)[0]!.thisValue as S3Client).config.region()).toBe("eu-west-2");
  });

  const headAnswer = (status: number, bucketRegion?: string) =>
    Object.assign(new S3ServiceException({ name: String(status), $fault: "client", $metadata: { httpStatusCode: status } }), {
      $response: { headers: bucketRegion ? { "x-amz-bucket-region": bucketRegion } : {} },
    });

  test("a 400 naming another region is a request signed for the wrong one: the bucket is there", async () => {
    s3.on(HeadBucketCommand).rejects(headAnswer(400, "ap-southeast-2"));
    const checks = byId(await checkBucket(scope, key.target, OLD_KEY, recordingBudget().budget));
    expect(checks["bucket-region"]).toMatchObject({ status: "failed", detail: "The bucket is in ap-southeast-2, not in us-east-1, the Pinpoint project's region" });
  });

  test("a 400 naming the region asked says nothing of where the bucket is: HeadBucket failed", async () => {
    s3.on(HeadBucketCommand).rejects(headAnswer(400, "us-east-1"));
    const checks = byId(await checkBucket(scope, key.target, OLD_KEY, recordingBudget().budget));
    expect(checks["bucket-region"]).toMatchObject({ status: "failed", detail: expect.stringMatching(/^S3 HeadBucket failed: /) });
  });

  test("a redirect naming no region: the bucket is elsewhere, which S3 did not say", async () => {
    s3.on(HeadBucketCommand).rejects(headAnswer(301));
    const checks = byId(await checkBucket(scope, key.target, OLD_KEY, recordingBudget().budget));
    expect(checks["bucket-region"]).toMatchObject({ status: "failed", detail: "The bucket is not in us-east-1: S3 redirected the request to another region without naming it" });
  });

  test("a HeadBucket refusal is retried while a new key's permissions propagate", async () => {
    s3.on(HeadBucketCommand).rejectsOnce(headAnswer(403)).resolves({ BucketRegion: "us-east-1" });
    const { budget, sleeps } = recordingBudget();
    const checks = byId(await checkBucket(scope, key.target, NEW_KEY, budget));
    expect(checks["bucket-region"]!.status).toBe("passed");
    expect(sleeps).toEqual([1000]);
  });
});

describe("the Pinpoint project", () => {
  test("a refusal for the end of support is reported as such, not as a broken key", async () => {
    pinpoint.on(GetAppCommand).rejects(
      new PinpointServiceException({ name: "ForbiddenException", $fault: "client", $metadata: { httpStatusCode: 403 }, message: "Amazon Pinpoint engagement features are no longer supported." }),
    );
    const check = await checkPinpointProject(scope, key.target, NEW_KEY, recordingBudget().budget);
    expect(check.status).toBe("failed");
    expect(check.detail).toContain("apparently because AWS ended support for Amazon Pinpoint's engagement features on 30 October 2026");
    expect(check.detail).toContain("the key is not the problem");
    expect(check.fix).toContain("Nothing in this setup can fix it");
  });

  test("a refusal of GetApp to an old key says what to grant", async () => {
    pinpoint.on(GetAppCommand).rejects(
      new PinpointServiceException({
        name: "ForbiddenException",
        $fault: "client",
        $metadata: { httpStatusCode: 403 },
        message: `User: ${USER_ARN} is not authorized to perform: mobiletargeting:GetApp on resource: ${scope.appArn}`,
      }),
    );
    const check = await checkPinpointProject(scope, key.target, OLD_KEY, recordingBudget().budget);
    expect(check).toMatchObject({ status: "failed", fix: expect.stringContaining(`mobiletargeting:GetApp`) });
    expect(check.fix).toContain(`on ${scope.appArn} and ${scope.appArn}/*`);
  });
});
