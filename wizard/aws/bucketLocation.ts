/**
 * Where a bucket is and whether these credentials may see it, from S3's answer to HeadBucket: the one
 * reading of that answer, for setup (is the name free?), verify (is the bucket in the project's
 * region?), audit, adopt, teardown and doctor.
 *
 * | S3 answers                          | means                                                         |
 * | 200                                 | the bucket exists and these credentials may list it           |
 * | 301 or 307                          | it exists in another region: the one named, if any            |
 * | 400, naming another region          | the same: a request signed for the wrong region is refused    |
 * | 400 otherwise                       | a request S3 could not take (an invalid name): a failure      |
 * | 403                                 | another account's bucket, or no s3:ListBucket on it           |
 * | 404                                 | no such bucket: the name is free                              |
 * | anything else                       | a failure                                                     |
 *
 * S3 answers a HEAD with bad credentials with a bare 403 too: call it after getCallerIdentity.
 */
import { HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import type { AwsTarget } from "./target.js";
import { awsFailureToCliError } from "./awsErrors.js";
import { awsClientConfig } from "./clients.js";
import { once, type Retry } from "./retry.js";

/** `region`: where the bucket lives, when S3 said so. */
export type BucketLocation =
  | { status: "visible"; region?: string }
  /** `region` undefined: S3 redirected without naming another region. */
  | { status: "elsewhere"; region?: string }
  | { status: "refused"; region?: string }
  | { status: "missing" };

/** HeadBucket's HTTP status and the region its x-amz-bucket-region header (or, on success, its body) named. */
export interface HeadBucketReply {
  status: number;
  region?: string;
}

/** Undefined for an answer that says nothing about the bucket: the request failed. */
export function readHeadBucket(reply: HeadBucketReply, askedRegion: string): BucketLocation | undefined {
  const { status, region } = reply;
  switch (status) {
    case 200:
      return { status: "visible", region };
    case 404:
      return { status: "missing" };
    case 403:
      return { status: "refused", region };
    case 301:
    case 307:
      return { status: "elsewhere", region: region !== askedRegion ? region : undefined };
    case 400:
      return region && region !== askedRegion ? { status: "elsewhere", region } : undefined;
    default:
      return undefined;
  }
}

type S3Failure = { $metadata?: { httpStatusCode?: number }; $response?: { headers?: Record<string, string | undefined> } };

/**
 * HeadBucket in `target.region`, run through `retry`. Throws the CLI's AWS errors for an answer
 * readHeadBucket cannot read (classifyAwsError tells what S3 said).
 */
export async function locateBucket(target: AwsTarget, bucketName: string, retry: Retry = once): Promise<BucketLocation> {
  const client = new S3Client(awsClientConfig(target, "S3"));
  let reply: HeadBucketReply;
  let failure: unknown;
  try {
    const { BucketRegion } = await retry(() => client.send(new HeadBucketCommand({ Bucket: bucketName })));
    reply = { status: 200, region: BucketRegion };
  } catch (error) {
    const { $metadata, $response } = (error ?? {}) as S3Failure;
    reply = { status: $metadata?.httpStatusCode ?? 0, region: $response?.headers?.["x-amz-bucket-region"] || undefined };
    failure = error;
  } finally {
    client.destroy();
  }
  const location = readHeadBucket(reply, target.region);
  if (location) return location;
  throw awsFailureToCliError(failure, { target, service: "S3", operation: "HeadBucket", permission: "s3:ListBucket" });
}
