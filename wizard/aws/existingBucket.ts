/**
 * A staging bucket made by hand, as `adopt` must know it before a stack takes it over: that it is this
 * account's and in the project's region, whether a census-pinpoint stack already holds it, and the
 * settings the stack will write over (its bucket policy and lifecycle rules). Read-only.
 */
import type { LifecycleRule } from "@aws-sdk/client-s3";
import { MAX_EXPIRATION_DAYS } from "../../infra/validation.js";
import { AwsCredentialsError } from "../errors.js";
import type { AwsTarget } from "./target.js";
import { bucketAvailability, countObjects } from "./bucket.js";
import { coversEveryObject, readBucketSettings, type SettingRead } from "./bucketSettings.js";
import { nameHolder } from "./nameHolders.js";
import { NAMED_TYPES } from "./namedTypes.js";

export interface ExistingBucket {
  name: string;
  region: string;
  /** The Pinpoint project whose census-pinpoint stack made it, when its tags say one did. */
  stackProject?: string;
  /** The statements of its bucket policy (none: no policy). */
  policyStatements: unknown[];
  lifecycleRules: LifecycleRule[];
  objects: { count: number; more: boolean };
}

export type ExistingBucketLookup = { found: true; bucket: ExistingBucket } | { found: false; why: "missing" | "another-account" };

/** What adopt would write over must be known: a setting these credentials may not read stops it. */
function known<T>(setting: SettingRead<T>, bucketName: string): T | undefined {
  if (setting.read) return setting.value;
  throw new AwsCredentialsError(
    `AWS denied S3 ${setting.operation} on the bucket "${bucketName}": adopt must see what it would replace before it takes the bucket over.`,
    `Use credentials that may call ${setting.permission} (--profile). Nothing was changed.`,
  );
}

export async function readExistingBucket(aws: AwsTarget, bucketName: string): Promise<ExistingBucketLookup> {
  const availability = await bucketAvailability(aws, bucketName);
  if (availability.status === "free") return { found: false, why: "missing" };
  if (availability.status === "taken") return { found: false, why: "another-account" };
  const region = availability.region ?? aws.region;
  const target = { ...aws, region };
  const holder = await nameHolder(target, NAMED_TYPES.bucket, bucketName);
  const settings = await readBucketSettings(target, bucketName);
  const policy = known(settings.policy, bucketName);
  const statements = policy ? (JSON.parse(policy) as { Statement?: unknown }).Statement : undefined;
  return {
    found: true,
    bucket: {
      name: bucketName,
      region,
      ...(holder.held && holder.by === "this-account" && holder.projectId ? { stackProject: holder.projectId } : {}),
      policyStatements: Array.isArray(statements) ? statements : statements === undefined ? [] : [statements],
      lifecycleRules: known(settings.lifecycleRules, bucketName) ?? [],
      objects: await countObjects(target, bucketName),
    },
  };
}

/**
 * The days of the rule that expires every object, when the bucket has exactly that: adopting keeps
 * the expiry the user chose by hand instead of imposing the default.
 */
export function wholeBucketExpiryDays(rules: readonly LifecycleRule[]): number | undefined {
  // Beyond the maximum is outside what a stack accepts: then the stack's default applies.
  const covering = rules.filter(
    (rule) => rule.Status === "Enabled" && rule.Expiration?.Days !== undefined && rule.Expiration.Days <= MAX_EXPIRATION_DAYS && coversEveryObject(rule),
  );
  return covering.length === 1 ? covering[0]!.Expiration!.Days : undefined;
}
