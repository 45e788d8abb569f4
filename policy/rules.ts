/**
 * The security posture of a census-pinpoint stack, as Pulumi policy rules. They live apart from the
 * `PolicyPack` (index.ts) because constructing a pack starts its gRPC server: tests import this module
 * and call `validateResource`/`validateStack` directly.
 *
 * Resource rules check what each resource says; the stack rules check what only resources together
 * show: that nothing was left out (a bucket without a public access block breaks no resource rule,
 * since there is no resource to check), and that nothing was added beside the component to the
 * principals it made (an attachment names a role by name, not as the component's).
 */
import * as iam from "@pulumi/aws/iam/index.js";
import * as s3 from "@pulumi/aws/s3/index.js";
import type { Resource } from "@pulumi/pulumi";
import {
  validateResourceOfType,
  type PolicyResource,
  type ReportViolation,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type StackValidationPolicy,
} from "@pulumi/policy";

/**
 * The longest expiry the pack accepts unless its config says otherwise. Staged files are copies Census
 * uploads again on every sync and Pinpoint reads within minutes, so weeks of retention buy nothing; the
 * stack's default is 7 days, Census's guide asks for 7. A stack may set up to 3650: a team that wants
 * that passes `maxExpirationDays` in the pack's config.
 */
export const DEFAULT_MAX_EXPIRATION_DAYS = 30;

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
// S3: public access block, object ownership, default encryption, TLS-only bucket policy, lifecycle expiration

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

export const objectOwnershipEnforced: ResourceValidationPolicy = {
  name: "s3-object-ownership-enforced",
  description: "S3 ownership controls must set BucketOwnerEnforced, which turns ACLs off (Security Hub S3.12).",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(s3.BucketOwnershipControls, (controls, _args, reportViolation) => {
    const ownership = isRecord(controls.rule) ? controls.rule.objectOwnership : undefined;
    if (ownership !== "BucketOwnerEnforced") {
      reportViolation(
        `The ownership controls of bucket "${controls.bucket}" set ${ownership === undefined ? "no object ownership" : `"${String(ownership)}"`}, ` +
          `which leaves ACLs on: set rule.objectOwnership to "BucketOwnerEnforced".`,
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
    resourceClass: s3.BucketOwnershipControls,
    what: "object-ownership enforcement (aws.s3.BucketOwnershipControls with BucketOwnerEnforced)",
  },
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
    "Every S3 bucket must have a public access block, ownership controls, default encryption, a TLS-only bucket policy " +
    "and an expiring lifecycle configuration in the stack.",
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
// IAM: identity policies without wildcards, service trust policies bound to the account and project,
// no policy on a user, and the component's principals holding the component's policies only

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

function quoted(values: unknown[]): string {
  return values.map((value) => `"${String(value)}"`).join(", ");
}

/** IAM matches `*` and `?` as wildcards in actions and resources. */
function hasWildcard(text: unknown): boolean {
  return /[*?]/.test(String(text));
}

/**
 * The resource wildcards the component needs, each under one named parent: the objects of one bucket,
 * and what lies under one Pinpoint project (its import jobs and segments get IDs only when Census
 * creates them). Anywhere else (`arn:aws:s3:::*`, `apps/*`, `apps/<id>*`) a wildcard reaches resources
 * nobody named.
 */
const WILDCARDS_UNDER_A_NAMED_PARENT = [
  /^arn:[a-z-]+:s3:::[a-z0-9.-]+\/\*$/,
  /^arn:[a-z-]+:mobiletargeting:[a-z0-9-]+:\d{12}:apps\/[^/*?\s]+\/\*$/,
];

function isWildcardResource(resource: unknown): boolean {
  return hasWildcard(resource) && !WILDCARDS_UNDER_A_NAMED_PARENT.some((shape) => shape.test(String(resource)));
}

export const noWildcardPermissions: ResourceValidationPolicy = {
  name: "iam-no-wildcard-permissions",
  description:
    'IAM identity policies must not allow actions or resources by wildcard ("*", "s3:*", "s3:Get*", "arn:aws:s3:::*"), ' +
    "except the objects of one named bucket and what lies under one named Pinpoint project.",
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
        const wildcardActions = asList(statement.Action).filter(hasWildcard);
        if (wildcardActions.length > 0) {
          reportViolation(`${label} allows actions by wildcard (${quoted(wildcardActions)}): list the specific actions it needs.`);
        }
        const wildcardResources = asList(statement.Resource).filter(isWildcardResource);
        if (wildcardResources.length > 0) {
          reportViolation(
            `${label} allows resources by wildcard (${quoted(wildcardResources)}): name the ARNs it needs; only a bucket's ` +
              `objects ("arn:<partition>:s3:::<bucket>/*") and what lies under a Pinpoint project (".../apps/<project ID>/*") may end in a wildcard.`,
          );
        }
        // Allow with NotAction/NotResource grants everything except a list: a wildcard in disguise.
        for (const key of ["NotAction", "NotResource"]) {
          if (statement[key] !== undefined) reportViolation(`${label} uses ${key} with Allow: list what it allows instead.`);
        }
      });
    }
  },
};

/** `aws:iam/rolePolicyAttachment:RolePolicyAttachment` → `aws.iam.RolePolicyAttachment`, as a program writes it. */
function typeLabel(type: string): string {
  const [pkg, module, name] = type.split(":");
  return module !== undefined && name !== undefined ? `${pkg}.${module.split("/")[0]}.${name}` : type;
}

/** The users a resource gives a policy of their own, or `undefined` when its type gives none. */
function usersGivenPolicies(args: ResourceValidationArgs): unknown[] | undefined {
  const inline = args.asType(iam.UserPolicy);
  if (inline) return [inline.user];
  const attachment = args.asType(iam.UserPolicyAttachment);
  if (attachment) return [attachment.user];
  const exclusive = args.asType(iam.UserPolicyAttachmentsExclusive);
  // An empty list detaches every managed policy from the user: what IAM.2 asks for.
  if (exclusive) return asList(exclusive.policyArns).length > 0 ? [exclusive.userName] : [];
  const shared = args.asType(iam.PolicyAttachment);
  if (shared) return asList(shared.users);
  return undefined;
}

export const noUserPolicies: ResourceValidationPolicy = {
  name: "iam-no-user-policies",
  description: "IAM users must get their permissions through groups, never from a policy attached to or inline in the user (Security Hub IAM.2).",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const users = usersGivenPolicies(args);
    if (users === undefined) {
      return args.notApplicable(
        "Policy only applies to aws.iam.UserPolicy, UserPolicyAttachment, UserPolicyAttachmentsExclusive and PolicyAttachment resources",
      );
    }
    for (const user of users) {
      reportViolation(
        `${typeLabel(args.type)} "${args.name}" gives user "${String(user)}" a policy of its own: ` +
          `attach the policy to a group the user belongs to instead.`,
      );
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

/**
 * A role rule that checks each Allow statement with a principal in the role's trust policy; a trust
 * policy that cannot be read is reported, never passed.
 */
function eachTrustStatement(check: (statement: Statement, principal: Record<string, unknown>, label: string, reportViolation: ReportViolation) => void) {
  return validateResourceOfType(iam.Role, (role, args, reportViolation) => {
    const statements = statementsOf(role.assumeRolePolicy);
    if (statements === undefined) {
      reportViolation(`The trust policy of role "${args.name}" is not a readable JSON policy document: fix its JSON.`);
      return;
    }
    statements.forEach((statement, index) => {
      if (statement.Effect !== "Allow" || !isRecord(statement.Principal)) return;
      check(statement, statement.Principal, `The trust policy of role "${args.name}", ${statementLabel(statement, index)},`, reportViolation);
    });
  });
}

export const serviceTrustSourceAccount: ResourceValidationPolicy = {
  name: "iam-service-trust-source-account",
  description:
    "IAM role trust policies that let an AWS service assume the role must pin aws:SourceAccount (confused-deputy protection).",
  enforcementLevel: "mandatory",
  validateResource: eachTrustStatement((statement, principal, label, reportViolation) => {
    if (principal.Service === undefined || pinsSourceAccount(statement.Condition)) return;
    const services = asList(principal.Service).map(String).join(", ");
    reportViolation(`${label} lets ${services} assume the role for any account: add Condition {"StringEquals": {"aws:SourceAccount": "<your account ID>"}}.`);
  }),
};

/**
 * Amazon Pinpoint's service principals: import roles trust `pinpoint.amazonaws.com`; `mobiletargeting`
 * is its name in IAM actions and `iam:PassedToService`, so a trust written for it is held to the same.
 */
const PINPOINT_PRINCIPALS = ["pinpoint.amazonaws.com", "mobiletargeting.amazonaws.com"];

/** Condition operators under which `aws:SourceArn` pins the caller: never `…IfExists`, never a negation. */
const SOURCE_ARN_OPERATORS = ["ArnEquals", "ArnLike", "StringEquals", "StringLike"];

/**
 * One Pinpoint project, or what lies under it (`apps/<id>/*`). Never `apps/<id>*`, which also matches
 * every project whose ID starts with this one's, nor a wildcard for the region, account or project.
 */
const ONE_PINPOINT_PROJECT = /^arn:[a-z-]+:mobiletargeting:[a-z0-9-]+:\d{12}:apps\/[^/*?\s]+(\/\*)?$/;

export const pinpointTrustSourceArn: ResourceValidationPolicy = {
  name: "iam-pinpoint-trust-source-arn",
  description:
    "IAM role trust policies that let Amazon Pinpoint assume the role must pin aws:SourceArn to one Pinpoint project " +
    "(with iam-service-trust-source-account: both confused-deputy conditions).",
  enforcementLevel: "mandatory",
  validateResource: eachTrustStatement((statement, principal, label, reportViolation) => {
    const pinpoint = asList(principal.Service).filter((service) => PINPOINT_PRINCIPALS.includes(String(service).toLowerCase()));
    if (pinpoint.length === 0) return;
    const sourceArns = conditionValues(statement.Condition, SOURCE_ARN_OPERATORS, "aws:SourceArn") ?? [];
    if (sourceArns.length === 0) {
      reportViolation(
        `${label} lets ${pinpoint.map(String).join(", ")} assume the role for any Pinpoint project: add Condition ` +
          `{"ArnLike": {"aws:SourceArn": ["arn:<partition>:mobiletargeting:<region>:<account>:apps/<project ID>", ` +
          `"arn:<partition>:mobiletargeting:<region>:<account>:apps/<project ID>/*"]}}.`,
      );
      return;
    }
    const loose = sourceArns.filter((arn) => typeof arn !== "string" || !ONE_PINPOINT_PROJECT.test(arn));
    if (loose.length > 0) {
      reportViolation(
        `${label} admits aws:SourceArn ${quoted(loose)}, which is not one Pinpoint project: use ` +
          `"arn:<partition>:mobiletargeting:<region>:<account>:apps/<project ID>" and ".../apps/<project ID>/*".`,
      );
    }
  }),
};

/** The Pulumi type of the census-pinpoint component (infra/component.ts): the pack does not load the program. */
export const COMPONENT_TYPE = "census-pinpoint:index:CensusPinpointStaging";

function componentOf(resource: PolicyResource): PolicyResource | undefined {
  for (let ancestor = resource.parent; ancestor !== undefined; ancestor = ancestor.parent) {
    if (ancestor.type === COMPONENT_TYPE) return ancestor;
  }
  return undefined;
}

/**
 * What a resource gives IAM roles and groups, or which users it puts into groups, by name (policies
 * on users themselves are iam-no-user-policies' business). The policies and groups are functions, read
 * only for the component's own resources: a resource declared beside the component is judged by the
 * names alone, which a preview knows, while the ARN of a policy made in the same update it does not.
 */
interface Grant {
  roles: unknown[];
  groups: unknown[];
  users: unknown[];
  policyArns(): unknown[];
  intoGroups(): unknown[];
}

function grantOf(resource: PolicyResource): Grant | undefined {
  const props = resource.props;
  const grant = (given: Partial<Grant>): Grant => ({
    roles: [],
    groups: [],
    users: [],
    policyArns: () => [],
    intoGroups: () => [],
    ...given,
  });
  if (resource.isType(iam.RolePolicyAttachment)) return grant({ roles: [props.role], policyArns: () => [props.policyArn] });
  if (resource.isType(iam.GroupPolicyAttachment)) return grant({ groups: [props.group], policyArns: () => [props.policyArn] });
  if (resource.isType(iam.PolicyAttachment)) {
    return grant({ roles: asList(props.roles), groups: asList(props.groups), policyArns: () => [props.policyArn] });
  }
  if (resource.isType(iam.RolePolicyAttachmentsExclusive)) return grant({ roles: [props.roleName], policyArns: () => asList(props.policyArns) });
  if (resource.isType(iam.GroupPolicyAttachmentsExclusive)) {
    return grant({ groups: [props.groupName], policyArns: () => asList(props.policyArns) });
  }
  if (resource.isType(iam.RolePolicy)) return grant({ roles: [props.role] });
  if (resource.isType(iam.GroupPolicy)) return grant({ groups: [props.group] });
  if (resource.isType(iam.UserGroupMembership)) return grant({ users: [props.user], intoGroups: () => asList(props.groups) });
  if (resource.isType(iam.GroupMembership)) return grant({ users: asList(props.users), intoGroups: () => [props.group] });
  return undefined;
}

/** IAM names are unique regardless of case. */
function sameNames(values: unknown[], names: Set<string>): string[] {
  return values.map(String).filter((value) => names.has(value.toLowerCase()));
}

export const componentPoliciesOnly: StackValidationPolicy = {
  name: "iam-component-policies-only",
  description:
    "The importer role and the Census group of a census-pinpoint component must hold only the policies the component " +
    "attaches, and its Census user must be in no other group: no AWS or customer managed policy, inline policy or " +
    "group membership added beside the component.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const components = args.resources.filter((resource) => resource.type === COMPONENT_TYPE);
    if (components.length === 0) return args.notApplicable(`Policy only applies to stacks with a ${COMPONENT_TYPE} component`);
    const grants = args.resources.flatMap((resource) => {
      const grant = grantOf(resource);
      return grant === undefined ? [] : [{ resource, grant }];
    });
    for (const component of components) {
      const declared = args.resources.filter((resource) => componentOf(resource) === component);
      const namesOf = (resourceClass: new (...rest: any[]) => Resource) =>
        new Set(declared.filter((resource) => resource.isType(resourceClass)).map((resource) => String(resource.props.name).toLowerCase()));
      const roles = namesOf(iam.Role);
      const groups = namesOf(iam.Group);
      const users = namesOf(iam.User);
      const ofComponent = `of component "${component.name}"`;

      // First what was added beside the component: names only, so a preview judges it too.
      for (const { resource, grant } of grants) {
        if (componentOf(resource) === component) continue;
        const reached = [
          ...sameNames(grant.roles, roles).map((name) => `role "${name}"`),
          ...sameNames(grant.groups, groups).map((name) => `group "${name}"`),
          ...sameNames(grant.users, users).map((name) => `user "${name}"`),
        ];
        if (reached.length > 0) {
          reportViolation(
            `${typeLabel(resource.type)} "${resource.name}" gives the ${reached.join(" and ")} ${ofComponent} permissions the ` +
              `component does not: remove it (docs/permissions.md lists all that Census and Pinpoint need).`,
            resource.urn,
          );
        }
      }

      // Then the component's own resources, which a transform may have changed: its policies and its group only.
      const componentPolicyArns = new Set(declared.filter((resource) => resource.isType(iam.Policy)).map((resource) => String(resource.props.arn)));
      const foreignTo = (resource: PolicyResource, foreign: string[]) => {
        if (foreign.length === 0) return;
        reportViolation(
          `${typeLabel(resource.type)} "${resource.name}" ${ofComponent} was changed to grant ${foreign.join(", ")}, which the ` +
            `component does not declare: remove the change (a transform of the component).`,
          resource.urn,
        );
      };
      for (const { resource, grant } of grants) {
        if (componentOf(resource) !== component) continue;
        foreignTo(resource, [
          ...grant.policyArns().filter((arn) => !componentPolicyArns.has(String(arn))).map((arn) => `policy "${String(arn)}"`),
          ...grant.intoGroups().filter((group) => !groups.has(String(group).toLowerCase())).map((group) => `membership of group "${String(group)}"`),
        ]);
      }
      for (const role of declared.filter((resource) => resource.isType(iam.Role))) {
        // After a refresh the provider lists the role's attached policies here, the component's own among them.
        const managed = asList(role.props.managedPolicyArns).filter((arn) => !componentPolicyArns.has(String(arn)));
        // The provider may record "no inline policy" as an entry without a document.
        const inline = asList(role.props.inlinePolicies).filter(isRecord).filter((entry) => Boolean(entry.policy));
        foreignTo(role, [
          ...managed.map((arn) => `policy "${String(arn)}"`),
          ...inline.map((entry) => `inline policy "${String(entry.name)}"`),
        ]);
      }
    }
  },
};

/** Every rule of the pack, in the order `pulumi up` reports them. */
export const postureRules: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  publicAccessBlockComplete,
  objectOwnershipEnforced,
  defaultEncryption,
  tlsOnlyBucketPolicy,
  lifecycleExpirationBounded,
  bucketHardeningPresent,
  noWildcardPermissions,
  noUserPolicies,
  serviceTrustSourceAccount,
  pinpointTrustSourceArn,
  componentPoliciesOnly,
];
