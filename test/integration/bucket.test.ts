// Staging bucket name availability: HeadBucket's three answers from moto_server, with a second moto
// account owning a bucket. moto serves every region from one endpoint and never redirects, so the
// wrong-region answers (301 with x-amz-bucket-region) come from aws-sdk-client-mock.
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateBucketCommand, HeadBucketCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { bucketAvailability, bucketTakenMessage } from "../../wizard/aws/bucket.js";
import { AwsCredentialsError, AwsRequestError } from "../../wizard/errors.js";
import type { AwsTarget } from "../../wizard/aws/target.js";
import { DUMMY_CREDENTIALS, freePort, MOTO_ACCOUNT_ID, useMoto } from "../helpers/moto.js";

const REGION = "eu-west-1";
const OTHER_ACCOUNT_ID = "111111111111";
const ours: AwsTarget = { region: REGION, credentials: DUMMY_CREDENTIALS, env: process.env };
// By default moto lets any account read any bucket; AWS answers 403 instead.
const moto = useMoto({ env: { MOTO_S3_ALLOW_CROSSACCOUNT_ACCESS: "false" } });

async function createBucket(target: AwsTarget, name: string): Promise<void> {
  const s3 = new S3Client({ ...target, forcePathStyle: true });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: REGION } }));
  } finally {
    s3.destroy();
  }
}

/** moto attributes requests to an account by access key: a key of a user created in that account. */
async function otherAccount(): Promise<AwsTarget> {
  const iam = new IAMClient(ours);
  iam.middlewareStack.add(
    (next) => async (args) => {
      (args.request as { headers: Record<string, string> }).headers["x-moto-account-id"] = OTHER_ACCOUNT_ID;
      return next(args);
    },
    { step: "build" },
  );
  try {
    await iam.send(new CreateUserCommand({ UserName: "elsewhere" }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "elsewhere" }));
    return { region: REGION, credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }, env: process.env };
  } finally {
    iam.destroy();
  }
}

describe("against moto", () => {
  test("a name nobody has is free (404)", async () => {
    expect(await bucketAvailability(ours, "census-pinpoint-free")).toEqual({ status: "free" });
  });

  test("a bucket of the caller's account is yours (200), with its region", async () => {
    await createBucket(ours, "census-pinpoint-ours");
    expect(await bucketAvailability(ours, "census-pinpoint-ours")).toEqual({ status: "yours", region: REGION });
  });

  test("another account's bucket is taken (403)", async () => {
    const theirs = await otherAccount();
    await createBucket(theirs, "census-pinpoint-theirs");
    expect(await bucketAvailability(theirs, "census-pinpoint-theirs")).toEqual({ status: "yours", region: REGION });
    expect(await bucketAvailability(ours, "census-pinpoint-theirs")).toEqual({ status: "taken" });
  });

  test("no credentials: AwsCredentialsError, not a verdict on the name", async () => {
    await expect(bucketAvailability({ region: REGION, env: process.env }, "census-pinpoint-free")).rejects.toBeInstanceOf(AwsCredentialsError);
  });

  test("an unreachable endpoint: AwsRequestError naming it", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    process.env.AWS_ENDPOINT_URL = closed;
    try {
      const error = await bucketAvailability(ours, "census-pinpoint-free").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AwsRequestError);
      expect((error as Error).message).toContain(`Could not reach ${closed} (set by AWS_ENDPOINT_URL) for S3 HeadBucket: connection refused`);
    } finally {
      process.env.AWS_ENDPOINT_URL = moto.endpoint;
    }
  });
});

describe("with a mocked S3 client: buckets in another region", () => {
  let s3: AwsClientStub<S3Client>;
  beforeAll(() => {
    s3 = mockClient(S3Client);
  });
  afterEach(() => s3.reset());
  afterAll(() => s3.restore());

  function answer(statusCode: number, bucketRegion?: string): S3ServiceException {
    const headers: Record<string, string> = bucketRegion ? { "x-amz-bucket-region": bucketRegion } : {};
    return Object.assign(
      new S3ServiceException({ name: statusCode === 301 ? "PermanentRedirect" : String(statusCode), $fault: "client", $metadata: { httpStatusCode: statusCode }, message: "" }),
      { $response: { statusCode, headers } },
    );
  }

  /** S3 as seen from each region: the bucket lives in `home` and answers `there` when asked there. */
  function bucketIn(home: string, there: "yours" | "taken") {
    s3.on(HeadBucketCommand).callsFake(async (_input, getClient) => {
      const region = await getClient().config.region();
      if (region !== home) throw answer(301, home);
      if (there === "taken") throw answer(403, home);
      return { BucketRegion: home };
    });
  }

  test("asks the bucket's own region: 200 there means yours", async () => {
    bucketIn("us-west-2", "yours");
    expect(await bucketAvailability(ours, "census-pinpoint-moved")).toEqual({ status: "yours", region: "us-west-2" });
    expect(s3.commandCalls(HeadBucketCommand)).toHaveLength(2);
  });

  test("asks the bucket's own region: 403 there means taken, with the region", async () => {
    bucketIn("us-west-2", "taken");
    expect(await bucketAvailability(ours, "census-pinpoint-moved")).toEqual({ status: "taken", region: "us-west-2" });
  });

  test("a redirect that does not name the region: taken", async () => {
    s3.on(HeadBucketCommand).rejects(answer(301));
    expect(await bucketAvailability(ours, "census-pinpoint-moved")).toEqual({ status: "taken" });
    expect(s3.commandCalls(HeadBucketCommand)).toHaveLength(1);
  });

  test("a 403 that names the region keeps it", async () => {
    s3.on(HeadBucketCommand).rejects(answer(403, "ap-south-1"));
    expect(await bucketAvailability(ours, "census-pinpoint-theirs")).toEqual({ status: "taken", region: "ap-south-1" });
  });

  test("any other failure is an AwsRequestError", async () => {
    s3.on(HeadBucketCommand).rejects(answer(500));
    const error = await bucketAvailability(ours, "census-pinpoint-x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsRequestError);
    expect((error as Error).message).toMatch(/^S3 HeadBucket failed: .*HTTP 500/);
  });
});

describe("bucketTakenMessage", () => {
  test("suggests the default name, which contains the project, account and region", () => {
    const message = bucketTakenMessage("census-pinpoint-staging", MOTO_ACCOUNT_ID, "eu-west-1", "0123456789abcdef0123456789abcdef");
    expect(message).toContain('"census-pinpoint-staging" is already taken by another AWS account');
    expect(message).toContain(`"census-pinpoint-staging-01234567-${MOTO_ACCOUNT_ID}-eu-west-1"`);
    expect(message).toContain("--bucket-name");
  });

  test("when the default itself is taken, suggests a variation of it", () => {
    const taken = `census-pinpoint-staging-01234567-${MOTO_ACCOUNT_ID}-eu-west-1`;
    expect(bucketTakenMessage(taken, MOTO_ACCOUNT_ID, "eu-west-1", "0123456789abcdef0123456789abcdef")).toContain(`"${taken}-2"`);
  });
});
