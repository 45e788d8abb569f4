/**
 * What `verify` checks and with which credentials, and what follows from it (ARNs, the probe's key).
 * Two ways in: a stack's outputs (the key Census holds, as setup produced it), or the values of a
 * setup done by hand with the key in a named AWS profile.
 */
import { VERIFY_PROBE_PREFIX } from "../../infra/names.js";
import { bucketArn, pinpointAppArn } from "../../infra/policies.js";
import { partitionOf, type Partition, type PinpointRegion } from "../../infra/regions.js";
import { validateRegion } from "../../infra/validation.js";
import { MASKED_SECRET, type CensusValues } from "../censusValues.js";
import { UsageError } from "../errors.js";
import type { ProgressReporter } from "../progress.js";
import type { AwsTarget } from "../aws/target.js";
import type { Sleep } from "./retry.js";

export interface VerifyInput {
  /** The Pinpoint project's region, where the bucket must be too. */
  region: PinpointRegion;
  projectId: string;
  bucketName: string;
  importerRoleArn: string;
  /** The Census key: given outright (a stack's outputs) or the AWS profile that holds it (--key-profile). */
  key: { credentials: NonNullable<AwsTarget["credentials"]> } | { profile: string };
  /** The administrator's credentials for the IAM checks: a named profile, else the default chain. */
  admin: { profile?: string };
  /** The IAM user the key must belong to (a stack's censusUserArn). */
  censusUserArn?: string;
  /** When the key was created, ISO 8601 (a stack's accessKeyCreatedAt). */
  keyCreatedAt?: string;
  /** The key or its policies were created or changed moments ago (setup after an update): refusals may be propagation. */
  recentlyChanged?: boolean;
}

export interface VerifyOptions {
  onProgress: ProgressReporter;
  env: NodeJS.ProcessEnv;
  /** Tests pass one that returns at once. */
  sleep?: Sleep;
  /** The most a run waits in total for a new key or policy to take effect (default 60 s). */
  maxWaitMs?: number;
}

export interface RoleArnParts {
  partition: string;
  accountId: string;
  roleName: string;
}

const ROLE_ARN = /^arn:(aws|aws-us-gov|aws-cn):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;

export function parseRoleArn(arn: string): RoleArnParts | undefined {
  const match = ROLE_ARN.exec(arn);
  return match ? { partition: match[1]!, accountId: match[2]!, roleName: match[3]! } : undefined;
}

/** The input with everything derived from it that the checks share. */
export interface VerifyScope {
  input: VerifyInput;
  partition: Partition;
  /** The account of the importer role, which is where the key, bucket and project belong too. */
  accountId: string;
  roleName: string;
  appArn: string;
  bucketArn: string;
  /** Key of the object the S3 checks write, read, list and delete. */
  probeKey: string;
  admin: AwsTarget;
  env: NodeJS.ProcessEnv;
}

export function scopeOf(input: VerifyInput, env: NodeJS.ProcessEnv, now: Date): VerifyScope {
  const role = parseRoleArn(input.importerRoleArn);
  if (!role) {
    throw new UsageError(
      `"${input.importerRoleArn}" is not an IAM role ARN.`,
      "Give the importer role's ARN, e.g. arn:aws:iam::123456789012:role/CensusPinpointSegmentImporter (IAM console → Roles → the role → ARN).",
    );
  }
  const partition = partitionOf(input.region);
  const project = { partition, region: input.region, accountId: role.accountId, projectId: input.projectId };
  const unique = `${now.toISOString().replace(/[:.]/g, "")}-${Math.random().toString(36).slice(2, 10)}`;
  return {
    input,
    partition,
    accountId: role.accountId,
    roleName: role.roleName,
    appArn: pinpointAppArn(project),
    bucketArn: bucketArn(partition, input.bucketName),
    probeKey: `${VERIFY_PROBE_PREFIX}${unique}.csv`,
    admin: { region: input.region, ...(input.admin.profile ? { profile: input.admin.profile } : {}), env },
    env,
  };
}

/**
 * The AWS profile that holds the key in the --key-profile mode; undefined when the key came from a
 * stack, and then `census-pinpoint` commands can fix what is wrong.
 */
export function keyProfileOf(scope: VerifyScope): string | undefined {
  return "profile" in scope.input.key ? scope.input.key.profile : undefined;
}

/** The ARN of the probe object, for the policy simulation. */
export function probeObjectArn(scope: VerifyScope): string {
  return `${scope.bucketArn}/${scope.probeKey}`;
}

/**
 * What setup (or any caller holding a stack's values) passes to verifyStaging: the key Census holds,
 * checked as Census would, with the administrator's profile for the IAM checks.
 */
export function verifyInputFromValues(values: CensusValues, admin: { profile?: string }, options: { recentlyChanged?: boolean } = {}): VerifyInput {
  if (values.secretAccessKey === MASKED_SECRET) throw new Error("verify needs the stack's values with the secret key: read them with showSecrets: true");
  return {
    region: validateRegion(values.awsRegion),
    projectId: values.pinpointProjectId,
    bucketName: values.stagingBucketName,
    importerRoleArn: values.importerRoleArn,
    key: { credentials: { accessKeyId: values.accessKeyId, secretAccessKey: values.secretAccessKey } },
    admin,
    censusUserArn: values.censusUserArn,
    keyCreatedAt: values.accessKeyCreatedAt,
    recentlyChanged: options.recentlyChanged,
  };
}
