/**
 * Input checks run before any resource is declared (and before the wizard writes anything). Each
 * failure is an InvalidInputError naming the input and every rule it breaks.
 */
import { isPinpointRegion, partitionOf, PINPOINT_REGION_NAMES, type Partition, type PinpointRegion } from "./regions.js";

/** The inputs, named as the `census-pinpoint:*` config keys (and `region` for `aws:region`). */
export type InputField =
  | "region"
  | "pinpointProjectId"
  | "accountId"
  | "bucketName"
  | "expirationDays"
  | "importerRoleName"
  | "censusUserName"
  | "kmsKeyArn"
  | "accessKeyGeneration"
  | "keepPreviousAccessKey";

export class InvalidInputError extends Error {
  override readonly name = "InvalidInputError";
  constructor(
    readonly field: InputField,
    message: string,
  ) {
    super(message);
  }
}

export const MIN_EXPIRATION_DAYS = 1;
export const MAX_EXPIRATION_DAYS = 3650;
export const DEFAULT_EXPIRATION_DAYS = 7;

const AWS_REGION_SHAPE = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

export function validateRegion(region: string): PinpointRegion {
  if (isPinpointRegion(region)) return region;
  const choices = PINPOINT_REGION_NAMES.join(", ");
  if (region.trim() === "") {
    throw new InvalidInputError("region", `No AWS region given. Amazon Pinpoint regions: ${choices}.`);
  }
  if (region.startsWith("cn-")) {
    throw new InvalidInputError(
      "region",
      `Region "${region}" is in the AWS China partition, where Amazon Pinpoint is not offered. Use one of: ${choices}.`,
    );
  }
  if (!AWS_REGION_SHAPE.test(region)) {
    throw new InvalidInputError("region", `"${region}" is not an AWS region. Use one of: ${choices}.`);
  }
  throw new InvalidInputError(
    "region",
    `Amazon Pinpoint is not available in ${region}. Use the region of your Pinpoint project, one of: ${choices}.`,
  );
}

const PROJECT_ID_SHAPE = /^[0-9a-f]{32}$/;
// Characters that could change the meaning of an ARN or policy (wildcards, separators) are refused,
// not just warned about: a project ID of "*" would grant every project.
const PROJECT_ID_SAFE_CHARACTERS = /^[A-Za-z0-9_-]+$/;

/** Rejects IDs that cannot be right; returns a warning for IDs that are merely unusual. */
export function checkProjectId(projectId: string): { warning?: string } {
  if (projectId === "") {
    throw new InvalidInputError("pinpointProjectId", "The Pinpoint project ID is empty. Copy it from the Pinpoint console (All projects → Project ID).");
  }
  if (/\s/.test(projectId)) {
    throw new InvalidInputError("pinpointProjectId", `The Pinpoint project ID "${projectId}" contains whitespace. Copy the ID alone, without spaces or line breaks.`);
  }
  if (projectId.includes("/")) {
    throw new InvalidInputError("pinpointProjectId", `The Pinpoint project ID "${projectId}" contains "/". Give the project ID, not its ARN or console URL.`);
  }
  if (!PROJECT_ID_SAFE_CHARACTERS.test(projectId)) {
    throw new InvalidInputError(
      "pinpointProjectId",
      `The Pinpoint project ID "${projectId}" contains characters that are not allowed in an ID (only letters, digits, "-" and "_"); "*", "?" or ":" would widen the permissions granted.`,
    );
  }
  if (PROJECT_ID_SHAPE.test(projectId)) return {};
  // Say what differs, so a wrongly copied ID (a letter too many, a stray "g") is easy to spot.
  const differences = [`this one has ${projectId.length} characters`];
  if (/[A-Z]/.test(projectId)) differences.push("some uppercase");
  const notHex = [...new Set(projectId.replace(/[0-9a-f]/gi, ""))];
  if (notHex.length > 0) differences.push(`some not hexadecimal: ${notHex.map((c) => JSON.stringify(c)).join(", ")}`);
  return {
    warning: `"${projectId}" does not look like an Amazon Pinpoint project ID (those are 32 lowercase hexadecimal characters; ${differences.join(", ")}). Permissions will be scoped to exactly this ID.`,
  };
}

const BUCKET_FORBIDDEN_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const BUCKET_FORBIDDEN_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/** Every S3 naming rule the name breaks, each as a short phrase; empty when the name is valid. */
export function bucketNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length < 3 || name.length > 63) problems.push(`it must be 3 to 63 characters long (it has ${name.length})`);
  if (/[A-Z]/.test(name)) problems.push("it must not contain uppercase letters");
  const invalid = [...new Set(name.replace(/[a-z0-9.\-A-Z]/g, ""))];
  if (invalid.length > 0) {
    problems.push(`it may contain only lowercase letters, digits, "." and "-" (found ${invalid.map((c) => JSON.stringify(c)).join(", ")})`);
  }
  if (name.length > 0 && !/^[a-z0-9]/.test(name)) problems.push("it must start with a lowercase letter or digit");
  if (name.length > 0 && !/[a-z0-9]$/.test(name)) problems.push("it must end with a lowercase letter or digit");
  if (name.includes("..")) problems.push('it must not contain two adjacent periods ("..")');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) problems.push("it must not be formatted as an IP address");
  for (const prefix of BUCKET_FORBIDDEN_PREFIXES) {
    if (name.startsWith(prefix)) problems.push(`it must not start with the reserved prefix "${prefix}"`);
  }
  for (const suffix of BUCKET_FORBIDDEN_SUFFIXES) {
    if (name.endsWith(suffix)) problems.push(`it must not end with the reserved suffix "${suffix}"`);
  }
  return problems;
}

export function validateBucketName(name: string): string {
  const problems = bucketNameProblems(name);
  if (problems.length > 0) {
    throw new InvalidInputError("bucketName", `"${name}" is not a valid S3 bucket name: ${problems.join("; ")}.`);
  }
  return name;
}

/** Dots are legal but break virtual-hosted TLS certificates, so they earn a warning. */
export function bucketNameWarning(name: string): string | undefined {
  return name.includes(".")
    ? `Bucket name "${name}" contains ".", which breaks TLS for virtual-hosted-style S3 URLs; a name with "-" instead is safer.`
    : undefined;
}

/** Accepts a number or the text of one (config and flags arrive as text). */
export function validateExpirationDays(value: number | string): number {
  const text = String(value).trim();
  const days = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(days) || days < MIN_EXPIRATION_DAYS || days > MAX_EXPIRATION_DAYS) {
    throw new InvalidInputError(
      "expirationDays",
      `Expiration days must be a whole number from ${MIN_EXPIRATION_DAYS} to ${MAX_EXPIRATION_DAYS}; got "${text}".`,
    );
  }
  return days;
}

const IAM_NAME_CHARACTERS = /^[A-Za-z0-9+=,.@_-]+$/;
// Room is left for the "-group"/"-access"/"-s3-read" suffixes of the names derived from these.
const IAM_NAME_LIMITS = { importerRoleName: 64, censusUserName: 64 } as const;

export function validateIamName(field: keyof typeof IAM_NAME_LIMITS, name: string): string {
  const what = field === "importerRoleName" ? "IAM role name" : "IAM user name";
  const limit = IAM_NAME_LIMITS[field];
  const problems: string[] = [];
  if (name.length === 0 || name.length > limit) problems.push(`it must be 1 to ${limit} characters long (it has ${name.length})`);
  if (name.length > 0 && !IAM_NAME_CHARACTERS.test(name)) {
    problems.push('it may contain only letters, digits and "+=,.@_-"');
  }
  if (problems.length > 0) throw new InvalidInputError(field, `"${name}" is not a valid ${what}: ${problems.join("; ")}.`);
  return name;
}

const KMS_KEY_ARN = /^arn:(aws|aws-us-gov):kms:([a-z0-9-]+):(\d{12}):key\/[A-Za-z0-9-]+$/;

/** SSE-KMS keys must be in the bucket's region and partition, and named by full key ARN. */
export function validateKmsKeyArn(arn: string, partition: Partition, region: PinpointRegion): string {
  // The ARN also goes into the role's and the user's IAM grants, and an alias ARN there covers only
  // the alias, not the key it points to: imports would be refused kms:Decrypt.
  if (/^arn:[a-z-]+:kms:[^:]*:[^:]*:alias\//.test(arn)) {
    throw new InvalidInputError(
      "kmsKeyArn",
      `${arn} is a KMS alias ARN; IAM grants on an alias do not cover its key, so give the key ARN (arn:${partition}:kms:${region}:<account>:key/<key-id>).`,
    );
  }
  const match = KMS_KEY_ARN.exec(arn);
  if (!match) {
    throw new InvalidInputError("kmsKeyArn", `"${arn}" is not a KMS key ARN (arn:${partition}:kms:${region}:<account>:key/<key-id>).`);
  }
  if (match[1] !== partition || match[2] !== region) {
    throw new InvalidInputError(
      "kmsKeyArn",
      `KMS key ${arn} is in ${match[2]} (${match[1]}); the staging bucket is in ${region} (${partition}), and S3 needs a key in the bucket's region.`,
    );
  }
  return arn;
}

/**
 * A key in another account is refused rather than granted: using it would also need that account's key
 * policy to let this account's user and role in, which this stack cannot write, so setup would succeed
 * and every upload fail. Expects a key ARN validateKmsKeyArn accepted; called wherever the stack's
 * account is known (the inputs, or the caller's once resolved).
 */
export function validateKmsKeyAccount(kmsKeyArn: string, accountId: string): string {
  const keyAccount = KMS_KEY_ARN.exec(kmsKeyArn)?.[3];
  if (keyAccount !== accountId) {
    throw new InvalidInputError(
      "kmsKeyArn",
      `KMS key ${kmsKeyArn} is in AWS account ${keyAccount}, and this setup is in account ${accountId}: use a key of account ${accountId} (a key in another account also needs a grant in that account's key policy, which this stack cannot make).`,
    );
  }
  return kmsKeyArn;
}

export function validateAccountId(accountId: string): string {
  if (!/^\d{12}$/.test(accountId)) {
    throw new InvalidInputError("accountId", `"${accountId}" is not an AWS account ID (12 digits).`);
  }
  return accountId;
}

export const MAX_ACCESS_KEY_GENERATION = 100_000;

/** Which access key is current: rotation bumps it (see `activeKeyGenerations`). */
export function validateAccessKeyGeneration(value: number | string): number {
  const text = String(value).trim();
  const generation = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(generation) || generation < 1 || generation > MAX_ACCESS_KEY_GENERATION) {
    throw new InvalidInputError("accessKeyGeneration", `accessKeyGeneration must be a whole number from 1 to ${MAX_ACCESS_KEY_GENERATION}; got "${text}".`);
  }
  return generation;
}

/** Config arrives as text; only the two spellings Pulumi writes for booleans are accepted. */
export function validateKeepPreviousAccessKey(value: boolean | string): boolean {
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  throw new InvalidInputError("keepPreviousAccessKey", `keepPreviousAccessKey must be true or false; got "${value}".`);
}

export interface StagingInputs {
  region: string;
  pinpointProjectId: string;
  /** Resolved from the caller's credentials when absent. */
  accountId?: string;
  bucketName?: string;
  expirationDays?: number | string;
  importerRoleName?: string;
  censusUserName?: string;
  kmsKeyArn?: string;
  /** Rotation state: the current key's generation (default 1) and whether the one before it is kept. */
  accessKeyGeneration?: number | string;
  keepPreviousAccessKey?: boolean | string;
}

export interface ValidatedInputs {
  region: PinpointRegion;
  partition: Partition;
  pinpointProjectId: string;
  accountId?: string;
  bucketName?: string;
  expirationDays: number;
  importerRoleName?: string;
  censusUserName?: string;
  kmsKeyArn?: string;
  accessKeyGeneration: number;
  keepPreviousAccessKey: boolean;
  warnings: string[];
}

/** All checks at once; throws the first failure, returns the normalized inputs and any warnings. */
export function validateStagingInputs(inputs: StagingInputs): ValidatedInputs {
  const region = validateRegion(inputs.region);
  const partition = partitionOf(region);
  const warnings: string[] = [];
  const projectWarning = checkProjectId(inputs.pinpointProjectId).warning;
  if (projectWarning) warnings.push(projectWarning);
  if (inputs.bucketName !== undefined) {
    validateBucketName(inputs.bucketName);
    const warning = bucketNameWarning(inputs.bucketName);
    if (warning) warnings.push(warning);
  }
  const valid: ValidatedInputs = {
    region,
    partition,
    pinpointProjectId: inputs.pinpointProjectId,
    accountId: inputs.accountId === undefined ? undefined : validateAccountId(inputs.accountId),
    bucketName: inputs.bucketName,
    expirationDays: validateExpirationDays(inputs.expirationDays ?? DEFAULT_EXPIRATION_DAYS),
    importerRoleName: inputs.importerRoleName === undefined ? undefined : validateIamName("importerRoleName", inputs.importerRoleName),
    censusUserName: inputs.censusUserName === undefined ? undefined : validateIamName("censusUserName", inputs.censusUserName),
    kmsKeyArn: inputs.kmsKeyArn === undefined ? undefined : validateKmsKeyArn(inputs.kmsKeyArn, partition, region),
    accessKeyGeneration: validateAccessKeyGeneration(inputs.accessKeyGeneration ?? 1),
    keepPreviousAccessKey: validateKeepPreviousAccessKey(inputs.keepPreviousAccessKey ?? false),
    warnings,
  };
  if (valid.kmsKeyArn !== undefined && valid.accountId !== undefined) validateKmsKeyAccount(valid.kmsKeyArn, valid.accountId);
  return valid;
}
