/** How many buckets the account has: the audit's measure of what "every bucket" means. */
import { paginateListBuckets, S3Client } from "@aws-sdk/client-s3";
import type { AwsTarget } from "./target.js";
import { awsClientConfig } from "./clients.js";

/**
 * Undefined when S3 will not say (no s3:ListAllMyBuckets, no answer): the count only sharpens a
 * finding's words, so its absence must not stop the audit.
 */
export async function countBuckets(target: AwsTarget): Promise<number | undefined> {
  const s3 = new S3Client(awsClientConfig(target, "S3"));
  try {
    let count = 0;
    for await (const page of paginateListBuckets({ client: s3 }, {})) count += page.Buckets?.length ?? 0;
    return count;
  } catch {
    return undefined;
  } finally {
    s3.destroy();
  }
}
