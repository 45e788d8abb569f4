/**
 * Puts on a bucket in moto every setting census-pinpoint's stack gives its staging bucket (infra/component.ts):
 * what `audit` must find in order. The TLS-only policy makes moto refuse object requests (it does not
 * evaluate the condition), so only tests that touch no object may use it.
 */
import {
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { tlsOnlyBucketPolicy } from "../../infra/policies.js";
import { DUMMY_CREDENTIALS } from "./moto.js";

/** moto's default identity, which owns everything (IAM enforcement off). */
export function ownerS3(region: string): S3Client {
  return new S3Client({ region, credentials: DUMMY_CREDENTIALS, forcePathStyle: true });
}

export async function hardenBucket(region: string, bucketName: string): Promise<void> {
  const s3 = ownerS3(region);
  const Bucket = bucketName;
  try {
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket,
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
      }),
    );
    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] } }));
    await s3.send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }] } }));
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify(tlsOnlyBucketPolicy({ partition: "aws", bucketName })) }));
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket,
        LifecycleConfiguration: {
          Rules: [{ ID: "expire-staged-files", Status: "Enabled", Filter: {}, Expiration: { Days: 7 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }],
        },
      }),
    );
  } finally {
    s3.destroy();
  }
}

/** What audit says, line by line, of a bucket in `region` that hardenBucket prepared. */
export function hardenedBucketPassed(bucketName: string, region: string): string[] {
  return [
    `Bucket ${bucketName} is in ${region}, the Pinpoint project's region`,
    `Public access to ${bucketName} is blocked: all four settings of its public access block are on`,
    `ACLs are disabled on ${bucketName} (object ownership BucketOwnerEnforced)`,
    `${bucketName} encrypts new objects with SSE-S3 (AES256)`,
    `The bucket policy of ${bucketName} refuses requests without TLS (statement "DenyInsecureTransport")`,
    `In ${bucketName} every object expires 7 days after it was written (lifecycle rule "expire-staged-files")`,
    `In ${bucketName} incomplete multipart uploads are aborted after 1 day (lifecycle rule "expire-staged-files")`,
  ];
}

/** What audit finds, in order, in a bucket with none of these settings (as Census's guide leaves it). */
export const BARE_BUCKET_FINDINGS = [
  "bucket-public-access-not-blocked",
  "bucket-acls-enabled",
  "bucket-not-encrypted",
  "bucket-tls-not-required",
  "bucket-no-expiry",
  "bucket-incomplete-uploads-kept",
];
