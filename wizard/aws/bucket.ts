/**
 * Whether the staging bucket name can be used. Bucket names are global within a partition, so a name
 * may already belong to another account: free, ours, or taken (bucketLocation.ts reads S3's answer).
 * And how many files a bucket holds.
 */
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { defaultBucketName } from "../../infra/names.js";
import type { PinpointRegion } from "../../infra/regions.js";
import type { AwsTarget } from "./target.js";
import { awsFailureToCliError } from "./awsErrors.js";
import { locateBucket } from "./bucketLocation.js";
import { awsClientConfig } from "./clients.js";

/** `region` is where the bucket lives, when S3 said so. */
export type BucketAvailability = { status: "free" } | { status: "yours"; region?: string } | { status: "taken"; region?: string };

export async function bucketAvailability(target: AwsTarget, bucketName: string): Promise<BucketAvailability> {
  const here = await locateBucket(target, bucketName);
  if (here.status !== "elsewhere") return availabilityOf(here);
  // The bucket exists in another region; asking that region tells ours from someone else's. Where S3
  // did not say which, the name is not free, and whose it is cannot be told.
  if (here.region === undefined) return { status: "taken" };
  const there = await locateBucket({ ...target, region: here.region }, bucketName);
  if (there.status === "elsewhere") return { status: "taken", region: here.region };
  const availability = availabilityOf(there);
  return availability.status === "free" ? availability : { status: availability.status, region: availability.region ?? here.region };
}

function availabilityOf(location: { status: "visible" | "refused"; region?: string } | { status: "missing" }): BucketAvailability {
  if (location.status === "missing") return { status: "free" };
  return { status: location.status === "visible" ? "yours" : "taken", region: location.region };
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
