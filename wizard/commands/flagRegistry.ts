/**
 * Every flag the CLI knows, defined once: the help, the commands' option types and the hints that name
 * a flag all read this table, so a flag is spelt one way everywhere and a misspelt key does not compile.
 */
import { defaultBucketName, defaultCensusUserName, defaultImporterRoleName } from "../../infra/names.js";
import type { PinpointRegion } from "../../infra/regions.js";
import { DEFAULT_EXPIRATION_DAYS, MAX_EXPIRATION_DAYS, MIN_EXPIRATION_DAYS } from "../../infra/validation.js";

// The default names as patterns: the functions that make them, given the placeholders the help shows.
// "<acct>", not "<account>": the bucket's pattern then fits the help's description column at 80
// columns, which commander can only break at spaces.
const ID8 = "<id8>";
const DEFAULT_BUCKET = defaultBucketName("<acct>", "<region>" as PinpointRegion, ID8);
const DEFAULT_ROLE = defaultImporterRoleName(ID8);
const DEFAULT_USER = defaultCensusUserName(ID8);

/** Per key: commander's definition (`<...>` when it takes a value) and the help text. */
export const FLAGS = {
  projectId: ["--project-id <id>", "Amazon Pinpoint project (application) ID"],
  region: ["--region <region>", "region of the Pinpoint project (default: AWS_REGION)"],
  profile: ["--profile <name>", "AWS named profile (default: AWS_PROFILE)"],
  accountId: ["--account-id <id>", "AWS account ID, when no AWS credentials are available"],
  bucketName: ["--bucket-name <name>", `staging bucket (default: ${DEFAULT_BUCKET})`],
  expirationDays: ["--expiration-days <days>", `days after which staged files expire, ${MIN_EXPIRATION_DAYS}-${MAX_EXPIRATION_DAYS} (default: ${DEFAULT_EXPIRATION_DAYS})`],
  importerRoleName: ["--importer-role-name <name>", `role Pinpoint assumes (default: ${DEFAULT_ROLE})`],
  censusUserName: ["--census-user-name <name>", `IAM user whose key Census holds (default: ${DEFAULT_USER})`],
  kmsKeyArn: ["--kms-key-arn <arn>", "encrypt staged files with this KMS key (default: SSE-S3)"],
  backendUrl: ["--backend-url <url>", "Pulumi backend (default: PULUMI_BACKEND_URL, else a local file backend)"],
  secretsProvider: [
    "--secrets-provider <provider>",
    "what encrypts the stack's secrets: awskms://<key>?region=<region> for a team, default on Pulumi Cloud (default there), passphrase (default elsewhere)",
  ],
  outputFile: ["--output-file <file>", "also write the result as JSON to this file (mode 0600)"],
  force: ["--force", "let --output-file overwrite an existing file"],
  yes: ["-y, --yes", "skip the final confirmation"],
  acceptEndOfSupport: [
    "--accept-end-of-support",
    "go on when Amazon Pinpoint does not confirm the project (refused since its end of support on 30 October 2026, access denied, no answer); without it nothing is created (exit 5) and a terminal asks",
  ],
  allowReplace: ["--allow-replace", "let an update replace or delete the staging bucket (with its files) or Census's user or key; --yes alone does not"],
  noInput: ["--no-input", "never prompt; a missing required value exits with code 2"],
  json: ["--json", "print exactly one JSON document on stdout"],
  verbose: ["--verbose", "show the raw Pulumi engine output"],
  stack: ["--stack <name>", "the stack, <region>-<projectId> (instead of --region and --project-id)"],
  showSecret: ["--show-secret", "print the Secret Key instead of masking it"],
  format: ["--format <format>", "output format: pretty, json or env (dotenv lines)"],
  skipVerify: ["--skip-verify", "do not run the connection test after provisioning"],
  finish: ["--finish", "phase 2: delete the previous access key (after Census uses the new one)"],
  keepState: ["--keep-state", "delete the resources only; keep the stack, its history and its work dir"],
  bucket: ["--bucket <name>", "staging bucket to check (instead of the stack's)"],
  roleArn: ["--role-arn <arn>", "importer role to check (instead of the stack's)"],
  keyProfile: ["--key-profile <name>", "AWS profile holding the Census access key (instead of the stack's key)"],
  all: ["--all", "every stack of this tool in the backend"],
  censusUser: ["--census-user <name>", "IAM user whose key Census holds (instead of --key-profile: every key of that user is reviewed)"],
  existingBucket: ["--existing-bucket <name>", "the staging bucket made by hand, which the stack takes over with its files"],
  accessKeyId: ["--access-key-id <id>", "the old access key Census held (instead of --key-profile)"],
  keepRole: ["--keep-role", "keep the old importer role; only detach AmazonS3ReadOnlyAccess and other policies reaching beyond the staging bucket"],
} as const satisfies Record<string, readonly [string, string]>;

export type FlagKey = keyof typeof FLAGS;

type Definition<K extends FlagKey> = (typeof FLAGS)[K][0];

/** A command's options, by registry key: text for a flag that takes a value, true when a switch is given. */
export type OptionsOf<K extends FlagKey> = {
  readonly [P in K]?: Definition<P> extends `${string}<${string}>` ? string : boolean;
};

/** How the user types the flag: its long spelling ("--project-id", "--yes"). */
export function flagSpelling(key: FlagKey): string {
  return FLAGS[key][0].split(/[\s,]+/).find((word) => word.startsWith("--"))!;
}

/**
 * A text that names flags by their keys, so that a hint cannot name a flag the CLI does not have:
 * withFlags`pass ${"yes"} to go ahead` is "pass --yes to go ahead".
 */
export function withFlags(strings: TemplateStringsArray, ...keys: FlagKey[]): string {
  return strings.reduce((text, part, index) => `${text}${flagSpelling(keys[index - 1]!)}${part}`);
}
