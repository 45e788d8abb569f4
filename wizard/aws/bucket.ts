/**
 * Whether the staging bucket name can be used. Bucket names are global within a partition, so a name
 * may already belong to another account; HeadBucket tells: 404 free, 403 someone else's, 200 ours.
 * Call it after getCallerIdentity: S3 answers a HEAD with bad credentials with a bare 403 too, which
 * would read as "taken".
 */
import { HeadBucketCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { defaultBucketName } from "../../infra/names.js";
import type { PinpointRegion } from "../../infra/regions.js";
import type { AwsTarget } from "./target.js";
import { awsFailureToCliError } from "./awsErrors.js";
import { awsClientConfig } from "./clients.js";

/** `region` is where the bucket lives, when S3 said so. */
export type BucketAvailability = { status: "free" } | { status: "yours"; region?: string } | { status: "taken"; region?: string };

type HeadAnswer = BucketAvailability | { status: "elsewhere"; region?: string };

type S3Failure = { $metadata?: { httpStatusCode?: number }; $response?: { headers?: Record<string, string | undefined> } };

async function headBucket(target: AwsTarget, bucketName: string): Promise<HeadAnswer> {
  const client = new S3Client(awsClientConfig(target, "S3"));
  try {
    const { BucketRegion } = await client.send(new HeadBucketCommand({ Bucket: bucketName }));
    return { status: "yours", region: BucketRegion };
  } catch (error) {
    const { $metadata, $response } = (error ?? {}) as S3Failure;
    const region = $response?.headers?.["x-amz-bucket-region"] || undefined;
    switch ($metadata?.httpStatusCode) {
      case 404:
        return { status: "free" };
      case 403:
        return { status: "taken", region };
      case 301:
      case 307:
        return { status: "elsewhere", region };
      // Signed for the wrong region, some endpoints answer 400 naming the right one.
      case 400:
        if (region && region !== target.region) return { status: "elsewhere", region };
    }
    throw awsFailureToCliError(error, { target, service: "S3", operation: "HeadBucket", permission: "s3:ListBucket" });
  } finally {
    client.destroy();
  }
}

export async function bucketAvailability(target: AwsTarget, bucketName: string): Promise<BucketAvailability> {
  const answer = await headBucket(target, bucketName);
  if (answer.status !== "elsewhere") return answer;
  // The bucket exists in another region; asking that region tells ours from someone else's.
  if (!answer.region || answer.region === target.region) return { status: "taken", region: answer.region };
  const there = await headBucket({ ...target, region: answer.region }, bucketName);
  if (there.status === "elsewhere") return { status: "taken", region: answer.region };
  return there.status === "free" ? there : { status: there.status, region: there.region ?? answer.region };
}

export function bucketTakenMessage(bucketName: string, accountId: string, region: PinpointRegion, projectId: string): string {
  const fallback = defaultBucketName(accountId, region, projectId);
  const suggestion =
    bucketName === fallback
      ? `a name of your own, e.g. "${fallback}-2"`
      : `e.g. the default "${fallback}", which contains your project, account ID and region`;
  return `The S3 bucket name "${bucketName}" is already taken by another AWS account (bucket names are global), or your credentials may not read that bucket. Choose another name (--bucket-name): ${suggestion}.`;
}

/** How many files a bucket holds, up to one page (1,000); what a user must hear before it is deleted. */
export async function countObjects(target: AwsTarget, bucketName: string): Promise<{ count: number; more: boolean }> {
  const client = new S3Client(awsClientConfig(target, "S3"));
  try {
    const { KeyCount, IsTruncated } = await client.send(new ListObjectsV2Command({ Bucket: bucketName, MaxKeys: 1000 }));
    return { count: KeyCount ?? 0, more: IsTruncated === true };
  } catch (error) {
    throw awsFailureToCliError(error, { target, service: "S3", operation: "ListObjectsV2", permission: "s3:ListBucket" });
  } finally {
    client.destroy();
  }
}
