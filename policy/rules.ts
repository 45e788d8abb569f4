/**
 * The security posture of a census-pinpoint stack, as Pulumi policy rules. They live apart from the
 * `PolicyPack` (index.ts) because constructing a pack starts its gRPC server: tests import this module
 * and call `validateResource`/`validateStack` directly.
 *
 * Resource rules check what each resource says; the stack rule checks that nothing was left out (a
 * bucket without a public access block breaks no resource rule, since there is no resource to check).
 */
import * as iam from "@pulumi/aws/iam/index.js";
import * as s3 from "@pulumi/aws/s3/index.js";
import type { Resource } from "@pulumi/pulumi";
import {
  validateResourceOfType,
  type PolicyResource,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type StackValidationPolicy,
} from "@pulumi/policy";

/** DESIGN.md's upper bound for `expirationDays`; a policy-pack config may tighten (or loosen) it. */
export const DEFAULT_MAX_EXPIRATION_DAYS = 3650;

export interface LifecycleRuleConfig {
  maxExpirationDays?: number;
}

type Statement = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * The statements of a policy document. The AWS provider accepts a document as a JSON string or as an
 * object, so both arrive here. `undefined` means the document cannot be read, which the rules report:
 * a posture that cannot be checked is not met.
 */
function statementsOf(document: unknown): Statement[] | undefined {
  let parsed = document;
  if (typeof document === "string") {
    try {
      parsed = JSON.parse(document);
    } catch {
      return undefined;
    }
  }
  if (!isRecord(parsed)) return undefined;
  const statements = asList(parsed.Statement);
  return statements.every(isRecord) ? statements : undefined;
}

function statementLabel(statement: Statement, index: number): string {
  return typeof statement.Sid === "string" && statement.Sid !== "" ? `statement "${statement.Sid}"` : `statement #${index + 1}`;
}

/** IAM matches condition keys case-insensitively. */
function conditionValues(condition: unknown, operators: readonly string[], key: string): unknown[] | undefined {
  if (!isRecord(condition)) return undefined;
  for (const operator of operators) {
    const block = condition[operator];
    if (!isRecord(block)) continue;
    for (const [name, value] of Object.entries(block)) {
      if (name.toLowerCase() === key.toLowerCase()) return asList(value);
    }
  }
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// ---------------------------------------------------------------------------------------------------
// S3: public access block, default encryption, TLS-only bucket policy, lifecycle expiration

const PUBLIC_ACCESS_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

export const publicAccessBlockComplete: ResourceValidationPolicy = {
  name: "s3-public-access-block-complete",
  description: "S3 public access blocks must turn on all four settings (Security Hub S3.8).",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(s3.BucketPublicAccessBlock, (block, _args, reportViolation) => {
    const off = PUBLIC_ACCESS_FLAGS.filter((flag) => block[flag] !== true);
    if (off.length > 0) {
      reportViolation(
        `The public access block of bucket "${block.bucket}" leaves ${off.join(", ")} off: ` +
          `set all of ${PUBLIC_ACCESS_FLAGS.join(", ")} to true.`,
      );
    }
  }),
};

/** What counts as encryption at rest: SSE-S3, SSE-KMS, or dual-layer SSE-KMS. */
const SSE_ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"];

export const defaultEncryption: ResourceValidationPolicy = {
  name: "s3-default-encryption",
  description: "S3 server-side encryption configurations must set a default algorithm of AES256 or aws:kms.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(s3.BucketServerSideEncryptionConfiguration, (config, _args, reportViolation) => {
    const algorithms = asList(config.rules).map((rule) =>
      isRecord(rule) && isRecord(rule.applyServerSideEncryptionByDefault)
        ? rule.applyServerSideEncryptionByDefault.sseAlgorithm
        : undefined,
    );
    if (algorithms.length === 0 || !algorithms.every((algorithm) => SSE_ALGORITHMS.includes(String(algorithm)))) {
      reportViolation(
        `The encryption configuration of bucket "${config.bucket}" has no default encryption ` +
          `(found ${algorithms.length === 0 ? "no rules" : algorithms.map(String).join(", ")}): ` +
          `give each rule applyServerSideEncryptionByDefault.sseAlgorithm "AES256" (SSE-S3) or "aws:kms" with your key.`,
      );
    }
  }),
};

function appliesToEveryone(principal: unknown): boolean {
  if (principal === "*") return true;
  return isRecord(principal) && asList(principal.AWS).includes("*");
}

/**
 * A statement that refuses every plain-HTTP request to the bucket and its objects: Deny, to everyone,
 * every S3 action, on both the bucket ARN and `bucket/*`, when `aws:SecureTransport` is false.
 */
function deniesInsecureTransport(statement: Statement, bucketName: string): boolean {
  if (statement.Effect !== "Deny" || !appliesToEveryone(statement.Principal)) return false;
  const actions = asList(statement.Action).map((action) => String(action).toLowerCase());
  if (!actions.includes("s3:*") && !actions.includes("*")) return false;
  const resources = asList(statement.Resource).map(String);
  const bucketArn = new RegExp(`^arn:[a-z-]+:s3:::${escapeRegExp(bucketName)}$`);
  const objectsArn = new RegExp(`^arn:[a-z-]+:s3:::${escapeRegExp(bucketName)}/\\*$`);
  const covers = (arn: RegExp) => resources.some((resource) => resource === "*" || arn.test(resource));
  if (!covers(bucketArn) || !covers(objectsArn)) return false;
  const secureTransport = conditionValues(statement.Condition, ["Bool", "BoolIfExists"], "aws:SecureTransport");
  return secureTransport !== undefined && secureTransport.some((value) => String(value).toLowerCase() === "false");
}

export const tlsOnlyBucketPolicy: ResourceValidationPolicy = {
  name: "s3-tls-only-bucket-policy",
  description: "S3 bucket policies must deny every request made without TLS (Security Hub S3.5).",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(s3.BucketPolicy, (policy, _args, reportViolation) => {
    const bucketName = String(policy.bucket);
    const statements = statementsOf(policy.policy);
    if (statements === undefined) {
      reportViolation(`The policy of bucket "${bucketName}" is not a readable JSON policy document: fix its JSON.`);
      return;
    }
    if (!statements.some((statement) => deniesInsecureTransport(statement, bucketName))) {
      reportViolation(
        `The policy of bucket "${bucketName}" does not deny requests without TLS: add a statement with Effect "Deny", ` +
          `Principal "*", Action "s3:*", Resource the bucket ARN and "<bucket ARN>/*", and ` +
          `Condition {"Bool": {"aws:SecureTransport": "false"}}.`,
      );
    }
  }),
};

/** A rule with a prefix, tag or size filter leaves the other objects in place forever. */
function appliesToWholeBucket(rule: Record<string, unknown>): boolean {
  if (rule.prefix) return false;
  const filter = rule.filter;
  if (filter === undefined || filter === null) return true;
  if (!isRecord(filter)) return false;
  return !filter.prefix && !filter.tag && !filter.and && !filter.objectSizeGreaterThan && !filter.objectSizeLessThan;
}

export const lifecycleExpirationBounded: ResourceValidationPolicy = {
  name: "s3-lifecycle-expiration-bounded",
  description:
    "S3 lifecycle configurations must have an enabled rule that expires every object within a bounded number of days " +
    "(Security Hub S3.13).",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      maxExpirationDays: {
        type: "integer",
        minimum: 1,
        default: DEFAULT_MAX_EXPIRATION_DAYS,
        description: "Longest allowed expiration, in days, of a lifecycle rule's expiration.days.",
      },
    },
  },
  validateResource: validateResourceOfType(s3.BucketLifecycleConfiguration, (lifecycle, args, reportViolation) => {
    const max = args.getConfig<LifecycleRuleConfig>().maxExpirationDays ?? DEFAULT_MAX_EXPIRATION_DAYS;
    const expiringDays = asList(lifecycle.rules)
      .filter(isRecord)
      .filter((rule) => rule.status === "Enabled" && appliesToWholeBucket(rule))
      .map((rule) => (isRecord(rule.expiration) ? rule.expiration.days : undefined))
      .filter((days): days is number => typeof days === "number");
    if (expiringDays.some((days) => Number.isInteger(days) && days >= 1 && days <= max)) return;
    const found =
      expiringDays.length === 0
        ? "has no enabled rule that expires every object after a number of days"
        : `expires objects only after ${expiringDays.join(", ")} days`;
    reportViolation(
      `The lifecycle configuration of bucket "${lifecycle.bucket}" ${found}: add a rule with status "Enabled", ` +
        `an empty filter and expiration.days between 1 and ${max}.`,
    );
  }),
};

// ---------------------------------------------------------------------------------------------------
// S3: every bucket carries the hardening resources

const BUCKET_HARDENING: { resourceClass: new (...rest: any[]) => Resource; what: string }[] = [
  { resourceClass: s3.BucketPublicAccessBlock, what: "a public access block (aws.s3.BucketPublicAccessBlock)" },
  {
    resourceClass: s3.BucketServerSideEncryptionConfiguration,
    what: "default encryption (aws.s3.BucketServerSideEncryptionConfiguration)",
  },
  { resourceClass: s3.BucketPolicy, what: "a TLS-only bucket policy (aws.s3.BucketPolicy)" },
  {
    resourceClass: s3.BucketLifecycleConfiguration,
    what: "an expiring lifecycle configuration (aws.s3.BucketLifecycleConfiguration)",
  },
];

export const bucketHardeningPresent: StackValidationPolicy = {
  name: "s3-bucket-hardening-present",
  description:
    "Every S3 bucket must have a public access block, default encryption, a TLS-only bucket policy and an expiring " +
    "lifecycle configuration in the stack.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const buckets = args.resources.filter((resource) => resource.isType(s3.Bucket));
    if (buckets.length === 0) return args.notApplicable("Policy only applies to stacks with aws.s3.Bucket resources");
    // The companion resources name the bucket, not its URN; after an update every name is known.
    const attachedTo = (bucket: PolicyResource, resourceClass: new (...rest: any[]) => Resource) =>
      args.resources.some((resource) => resource.isType(resourceClass) && resource.props.bucket === bucket.props.bucket);
    for (const bucket of buckets) {
      const missing = BUCKET_HARDENING.filter(({ resourceClass }) => !attachedTo(bucket, resourceClass)).map(({ what }) => what);
      if (missing.length > 0) {
        reportViolation(
          `Bucket "${bucket.props.bucket}" is missing ${missing.join(", ")}: declare them for this bucket.`,
          bucket.urn,
        );
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------------
// IAM: identity policies without wildcards, service trust policies bound to the account

/** The identity-policy documents a resource declares, or `undefined` when it declares none by type. */
function identityPolicyDocuments(args: ResourceValidationArgs): { where: string; document: unknown }[] | undefined {
  const standalone =
    args.asType(iam.Policy) ?? args.asType(iam.RolePolicy) ?? args.asType(iam.UserPolicy) ?? args.asType(iam.GroupPolicy);
  if (standalone) return [{ where: "The policy", document: standalone.policy }];
  const role = args.asType(iam.Role);
  if (role) {
    return asList(role.inlinePolicies)
      .filter(isRecord)
      .map((inline) => ({
        where: `The inline policy "${String(inline.name)}" of role "${String(role.name)}"`,
        document: inline.policy,
      }));
  }
  return undefined;
}

function isWildcardAction(action: unknown): boolean {
  return action === "*" || /^[^:]+:\*$/.test(String(action));
}

export const noWildcardPermissions: ResourceValidationPolicy = {
  name: "iam-no-wildcard-permissions",
  description: 'IAM identity policies must not allow "*" or "service:*" actions, nor "*" resources.',
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const documents = identityPolicyDocuments(args);
    if (documents === undefined) {
      return args.notApplicable("Policy only applies to aws.iam.Policy, RolePolicy, UserPolicy, GroupPolicy and Role resources");
    }
    for (const { where, document } of documents) {
      const statements = statementsOf(document);
      if (statements === undefined) {
        reportViolation(`${where} of "${args.name}" is not a readable JSON policy document: fix its JSON.`);
        continue;
      }
      statements.forEach((statement, index) => {
        // A Deny with wildcards only takes permissions away.
        if (statement.Effect !== "Allow") return;
        const label = `${where} of "${args.name}", ${statementLabel(statement, index)},`;
        const wildcardActions = asList(statement.Action).filter(isWildcardAction);
        if (wildcardActions.length > 0) {
          const quoted = wildcardActions.map((action) => `"${String(action)}"`).join(", ");
          reportViolation(`${label} allows every action of ${quoted}: list the specific actions it needs.`);
        }
        if (asList(statement.Resource).includes("*")) {
          reportViolation(`${label} allows Resource "*": name the ARNs it needs.`);
        }
        // Allow with NotAction/NotResource grants everything except a list: a wildcard in disguise.
        for (const key of ["NotAction", "NotResource"]) {
          if (statement[key] !== undefined) reportViolation(`${label} uses ${key} with Allow: list what it allows instead.`);
        }
      });
    }
  },
};

/** Condition operators under which `aws:SourceAccount` actually pins the caller's account. */
const SOURCE_ACCOUNT_OPERATORS = ["StringEquals", "StringEqualsIgnoreCase", "StringLike"];

function pinsSourceAccount(condition: unknown): boolean {
  const accounts = conditionValues(condition, SOURCE_ACCOUNT_OPERATORS, "aws:SourceAccount");
  return (
    accounts !== undefined &&
    accounts.length > 0 &&
    accounts.every((account) => typeof account === "string" && account !== "" && account !== "*")
  );
}

export const serviceTrustSourceAccount: ResourceValidationPolicy = {
  name: "iam-service-trust-source-account",
  description:
    "IAM role trust policies that let an AWS service assume the role must pin aws:SourceAccount (confused-deputy protection).",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(iam.Role, (role, args, reportViolation) => {
    const statements = statementsOf(role.assumeRolePolicy);
    if (statements === undefined) {
      reportViolation(`The trust policy of role "${args.name}" is not a readable JSON policy document: fix its JSON.`);
      return;
    }
    statements.forEach((statement, index) => {
      if (statement.Effect !== "Allow" || !isRecord(statement.Principal) || statement.Principal.Service === undefined) return;
      if (pinsSourceAccount(statement.Condition)) return;
      const services = asList(statement.Principal.Service).map(String).join(", ");
      reportViolation(
        `The trust policy of role "${args.name}", ${statementLabel(statement, index)}, lets ${services} assume the role ` +
          `for any account: add Condition {"StringEquals": {"aws:SourceAccount": "<your account ID>"}}.`,
      );
    });
  }),
};

/** Every rule of the pack, in the order `pulumi up` reports them. */
export const postureRules: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  publicAccessBlockComplete,
  defaultEncryption,
  tlsOnlyBucketPolicy,
  lifecycleExpirationBounded,
  bucketHardeningPresent,
  noWildcardPermissions,
  serviceTrustSourceAccount,
];
