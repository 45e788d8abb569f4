/**
 * Whether a staging bucket made by hand can be taken over by a stack without an outage, and what the
 * takeover writes over. Census keeps the bucket's name and its staged files; the stack then sets the
 * bucket's public access block, ownership, encryption, TLS-only policy and lifecycle rule. A bucket
 * policy of its own would be lost, so it stops the adoption instead of being overwritten.
 */
import type { PinpointRegion } from "../../infra/regions.js";
import { AwsRequestError, UsageError } from "../errors.js";
import { wholeBucketExpiryDays, type ExistingBucketLookup } from "../aws/existingBucket.js";

export interface Adoption {
  bucketName: string;
  /** The expiry the hand-made bucket already has for every object, kept when --expiration-days is not given. */
  keptExpirationDays?: number;
  /** What the takeover replaces, in words, for the confirmation. */
  replaced: string[];
  objects: { count: number; more: boolean };
  /** Its tags say a census-pinpoint stack of this project made it (or took it over already). */
  madeByStack: boolean;
}

function madeByStack(bucketName: string, region: string, projectId: string): UsageError {
  return new UsageError(
    `The S3 bucket "${bucketName}" was made by the census-pinpoint stack of Pinpoint project ${projectId}: there is nothing to adopt.`,
    `Manage it with \`census-pinpoint setup --region ${region} --project-id ${projectId}\`, where that stack is.`,
  );
}

export function checkAdoptable(lookup: ExistingBucketLookup, wanted: { bucketName: string; region: PinpointRegion; projectId: string }): Adoption {
  const { bucketName, region, projectId } = wanted;
  if (!lookup.found) {
    if (lookup.why === "another-account") {
      throw new AwsRequestError(
        `The S3 bucket "${bucketName}" belongs to another AWS account, or your credentials may not read it.`,
        "Run adopt with the credentials of the account that holds the Pinpoint project and its staging bucket (--profile).",
      );
    }
    throw new UsageError(
      `There is no S3 bucket "${bucketName}" in this account.`,
      "Pass --existing-bucket with the bucket Census uses now: its S3 Staging Bucket Name (Census → Destinations → your Amazon Pinpoint destination).",
    );
  }
  const { bucket } = lookup;
  // The same project's: a re-run of adopt, which the stack's state settles (bucketToImport).
  if (bucket.stackProject !== undefined && bucket.stackProject !== projectId) throw madeByStack(bucketName, region, bucket.stackProject);
  if (bucket.region !== region) {
    throw new UsageError(
      `The S3 bucket "${bucketName}" is in ${bucket.region}, and Pinpoint project ${projectId} is in ${region}: Pinpoint imports only from a bucket in the project's region.`,
      `Check --region (the project's region), or set up a new bucket there with \`census-pinpoint setup --region ${region} --project-id ${projectId}\`.`,
    );
  }
  if (bucket.policyStatements.length > 0) {
    const count = bucket.policyStatements.length;
    throw new UsageError(
      `The S3 bucket "${bucketName}" has a bucket policy (${count} statement${count === 1 ? "" : "s"}): adopting would replace it with census-pinpoint's TLS-only policy.`,
      `Save it (\`aws s3api get-bucket-policy --bucket ${bucketName}\`), delete it if nothing else needs it (\`aws s3api delete-bucket-policy --bucket ${bucketName}\`), and run adopt again. Nothing was changed.`,
    );
  }
  const rules = bucket.lifecycleRules;
  const keptExpirationDays = wholeBucketExpiryDays(rules);
  const replaced =
    rules.length === 0
      ? []
      : [`its ${rules.length === 1 ? "lifecycle rule" : `${rules.length} lifecycle rules`} (${rules.map((rule) => rule.ID ?? "unnamed").join(", ")}), by the stack's rule`];
  return { bucketName, ...(keptExpirationDays === undefined ? {} : { keptExpirationDays }), replaced, objects: bucket.objects, madeByStack: bucket.stackProject !== undefined };
}

/**
 * The bucket the update imports, or undefined when this stack holds it already (adopt run again, or
 * resumed after a stop). One that a stack of this project holds elsewhere (another machine or backend)
 * is that stack's, never imported a second time.
 */
export function bucketToImport(adoption: Adoption, stackBucket: string | undefined, wanted: { region: string; projectId: string }): string | undefined {
  if (stackBucket === adoption.bucketName) return undefined;
  if (adoption.madeByStack) throw madeByStack(adoption.bucketName, wanted.region, wanted.projectId);
  return adoption.bucketName;
}
