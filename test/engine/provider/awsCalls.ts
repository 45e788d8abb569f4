/**
 * The AWS side of the test provider: SDK clients built as the real provider builds them (credentials,
 * profile and endpoint from the environment the engine passes down; `AWS_ENDPOINT_URL` points at moto
 * in the tests), and AWS errors worded the way the real provider (Terraform's AWS provider on the Go
 * SDK v2, bridged by Pulumi) words them, because the wizard parses that text.
 */
import { IAMClient } from "@aws-sdk/client-iam";
import { S3Client } from "@aws-sdk/client-s3";
import { STSClient } from "@aws-sdk/client-sts";

type Sendable = { send(command: never): Promise<unknown> };

export interface Aws {
  s3(region: string): S3Client;
  iam: IAMClient;
  sts: STSClient;
}

export function awsClients(env: NodeJS.ProcessEnv): Aws {
  const pathStyle = Boolean(env.AWS_ENDPOINT_URL || env.AWS_ENDPOINT_URL_S3);
  const s3ByRegion = new Map<string, S3Client>();
  // IAM and STS are global; the region only picks the endpoint to sign for.
  const home = env.AWS_REGION || env.AWS_DEFAULT_REGION || "us-east-1";
  return {
    s3(region) {
      let client = s3ByRegion.get(region);
      if (!client) s3ByRegion.set(region, (client = new S3Client({ region, forcePathStyle: pathStyle, maxAttempts: 3 })));
      return client;
    },
    iam: new IAMClient({ region: home, maxAttempts: 3 }),
    sts: new STSClient({ region: home, maxAttempts: 3 }),
  };
}

type SdkError = Error & { Code?: string; $metadata?: { httpStatusCode?: number; requestId?: string } };

const NOT_FOUND = new Set([
  "NoSuchEntity",
  "NoSuchEntityException",
  "NoSuchBucket",
  "NotFound",
  "NoSuchLifecycleConfiguration",
  "NoSuchPublicAccessBlockConfiguration",
  "OwnershipControlsNotFoundError",
  "ServerSideEncryptionConfigurationNotFoundError",
  "NoSuchBucketPolicy",
  "NoSuchTagSet",
]);

export function isNotFound(error: unknown): boolean {
  const e = error as SdkError;
  return NOT_FOUND.has(e?.name) || NOT_FOUND.has(e?.Code ?? "") || e?.$metadata?.httpStatusCode === 404;
}

/** Reading or deleting what is already gone is not an error for the provider: undefined instead. */
export async function unlessNotFound<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * Sends `command` and, when AWS refuses, throws the provider's wording:
 * `<doing>: operation error <Service>: <Operation>, https response error StatusCode: <code>,
 * RequestID: <id>, api error <Code>: <message>` (e.g. "creating IAM Role (x): operation error IAM:
 * CreateRole, https response error StatusCode: 403, ..., api error AccessDenied: User: ... is not
 * authorized to perform: iam:CreateRole on resource: ...").
 */
export async function call<T>(client: Sendable, service: "S3" | "IAM" | "STS", command: object, doing: string): Promise<T> {
  try {
    return (await client.send(command as never)) as T;
  } catch (error) {
    throw wordedAsProvider(error, service, command.constructor.name.replace(/Command$/, ""), doing);
  }
}

function wordedAsProvider(error: unknown, service: string, operation: string, doing: string): Error {
  const e = error as SdkError;
  if (!(e instanceof Error)) return new Error(`${doing}: ${String(error)}`);
  const status = e.$metadata?.httpStatusCode;
  const response = status === undefined ? "" : `https response error StatusCode: ${status}, RequestID: ${e.$metadata?.requestId ?? ""}, `;
  return Object.assign(new Error(`${doing}: operation error ${service}: ${operation}, ${response}api error ${e.Code ?? e.name}: ${e.message}`), {
    name: e.name,
    $metadata: e.$metadata,
  });
}
