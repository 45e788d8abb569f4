// getCallerIdentity against moto_server, and the credential failures every command meets first.
import { join } from "node:path";
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { getCallerIdentity } from "../../wizard/aws/identity.js";
import { AwsCredentialsError, EXIT, exitCodeFor } from "../../wizard/errors.js";
import { DUMMY_CREDENTIALS, MOTO_ACCOUNT_ID, useMoto, writeAwsProfiles } from "../helpers/moto.js";

const REGION = "us-east-1";
const moto = useMoto();

test("names moto's default account for explicit credentials", async () => {
  const identity = await getCallerIdentity({ region: REGION, credentials: DUMMY_CREDENTIALS, env: process.env });
  expect(identity).toEqual({ accountId: MOTO_ACCOUNT_ID, arn: `arn:aws:sts::${MOTO_ACCOUNT_ID}:user/moto`, userId: DUMMY_CREDENTIALS.accessKeyId });
});

test("uses credentials from the environment when none are given", async () => {
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey });
  try {
    expect((await getCallerIdentity({ region: REGION, env: process.env })).accountId).toBe(MOTO_ACCOUNT_ID);
  } finally {
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
  }
});

test("reads a named profile from the shared credentials file", async () => {
  // A file of its own: the SDK caches each profile file it has read (or found missing) by path.
  const credentialsFile = join(moto.aws.dir, "profile-credentials");
  writeAwsProfiles(credentialsFile, { "census-test": DUMMY_CREDENTIALS });
  process.env.AWS_SHARED_CREDENTIALS_FILE = credentialsFile;
  try {
    expect((await getCallerIdentity({ region: REGION, profile: "census-test", env: process.env })).accountId).toBe(MOTO_ACCOUNT_ID);
  } finally {
    process.env.AWS_SHARED_CREDENTIALS_FILE = moto.aws.credentialsFile;
  }
});

test("no credentials anywhere: AwsCredentialsError, exit 3, with the ways to provide them", async () => {
  const error = await getCallerIdentity({ region: REGION, env: process.env }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AwsCredentialsError);
  expect(exitCodeFor(error)).toBe(EXIT.aws);
  const { message, hint } = error as AwsCredentialsError;
  expect(message).toBe("No AWS credentials found.");
  expect(hint).toContain("--profile");
  expect(hint).toContain("AWS_PROFILE");
  expect(hint).toContain("aws sso login");
});

test("an unknown profile is named", async () => {
  const error = await getCallerIdentity({ region: REGION, profile: "nope", env: process.env }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AwsCredentialsError);
  expect((error as Error).message).toContain('profile "nope"');
});

test("a key AWS does not know: AwsCredentialsError with AWS's code, never the secret", async () => {
  // With IAM enforcement on, moto accepts only its own users' keys, as AWS does.
  const iam = new IAMClient({ region: REGION, credentials: DUMMY_CREDENTIALS });
  await iam.send(new CreateUserCommand({ UserName: "someone" }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "someone" }));
  iam.destroy();
  await moto.enforceIam(true);

  const known = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
  expect((await getCallerIdentity({ region: REGION, credentials: known, env: process.env })).arn).toBe(`arn:aws:iam::${MOTO_ACCOUNT_ID}:user/someone`);

  const error = await getCallerIdentity({ region: REGION, credentials: DUMMY_CREDENTIALS, env: process.env }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AwsCredentialsError);
  expect(exitCodeFor(error)).toBe(EXIT.aws);
  expect((error as Error).message).toContain("InvalidClientTokenId");
  expect(`${(error as Error).message} ${(error as AwsCredentialsError).hint}`).not.toContain(DUMMY_CREDENTIALS.secretAccessKey);
});
