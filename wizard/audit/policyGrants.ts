/**
 * What a set of policy documents grants beyond what the importer role or Census's identity needs, in
 * words a person understands ("read all 3 buckets of this account"). Pure: the documents come from
 * IAM, the bucket count from S3, the simulator's verdicts from simulation.ts.
 *
 * Two readings together. Probes: requests on resources that stand for "any other" bucket, project or
 * role (a name no policy names on purpose), evaluated with IAM's rules, Deny included; a probe that is
 * allowed shows a right over every such resource. Patterns: each Allow statement's actions and
 * resources that the needed policy (infra/policies.ts) does not cover, sorted by what they reach.
 */
import {
  bucketArn,
  censusAccessPolicy,
  importerRolePolicy,
  pinpointAppArn,
  type PolicyDocument,
} from "../../infra/policies.js";
import { partitionOf, type Partition } from "../../infra/regions.js";
import { parseRoleArn } from "../verify/input.js";
import {
  actionMatches,
  allowingStatements,
  denyingStatements,
  isAllowed,
  resourceMatches,
  statementsOf,
  type AccessRequest,
  type NamedPolicy,
  type PolicyVariables,
  type Statement,
} from "./policyEvaluation.js";
import type { AuditSubject, Severity } from "./report.js";

/** The setup the rights are measured against. */
export interface AuditScope {
  partition: Partition;
  region: string;
  accountId: string;
  projectId: string;
  bucketName: string;
  importerRoleArn: string;
}

/** The scope both IAM areas judge against, and the importer role's name; undefined when the role ARN is not one. */
export function auditScopeOf(subject: AuditSubject): { scope: AuditScope; roleName: string } | undefined {
  const parts = parseRoleArn(subject.importerRoleArn);
  if (!parts) return undefined;
  const { region, projectId, bucketName, importerRoleArn } = subject;
  return { scope: { partition: partitionOf(region), region, accountId: parts.accountId, projectId, bucketName, importerRoleArn }, roleName: parts.roleName };
}

export type Grantee = { kind: "importer-role" } | { kind: "census-user"; userName: string };

export interface GrantContext {
  scope: AuditScope;
  grantee: Grantee;
  /** How many buckets the account has, when S3 would say. */
  bucketCount?: number;
}

export type GrantKind =
  | "administrator"
  | "every-bucket"
  | "other-buckets"
  | "every-project"
  | "other-projects"
  | "pass-any-role"
  | "other-roles"
  | "other-actions"
  | "staging-bucket-extra"
  | "project-extra";

/** A request that stands for a kind of right; `facet` is which part of it (read, write…). */
export interface Probe extends AccessRequest {
  kind: GrantKind;
  facet: string;
}

/** The simulator's answer per probe (probeKey); a probe it did not answer is judged by the reading alone. */
export type ProbeVerdicts = ReadonlyMap<string, boolean>;

export interface GrantSource {
  policy: string;
  /** "Allow s3:Get*, s3:List* on * (statement 1)". */
  statement: string;
}

export interface Grant {
  kind: GrantKind;
  severity: Severity;
  /** A verb phrase: "read all 3 buckets of this account". */
  reach: string;
  /** The statements that grant it, by policy. */
  sources: GrantSource[];
  /** The probes that showed it; empty for rights read from patterns alone. */
  probes: Probe[];
  /** For pattern rights: "s3:* on arn:aws:s3:::census-*" each. */
  details: string[];
}

const SEVERITY: Record<GrantKind, Severity> = {
  administrator: "critical",
  "every-bucket": "high",
  "other-buckets": "high",
  "every-project": "high",
  "other-projects": "high",
  "pass-any-role": "high",
  "other-roles": "medium",
  "other-actions": "medium",
  "staging-bucket-extra": "low",
  "project-extra": "low",
};

/** Report order: the worst first, and within a severity the broader reach first. */
const GRANT_KINDS = Object.keys(SEVERITY) as GrantKind[];

/** Names no policy names on purpose; the ARNs built from them stand for "any other". */
const OTHER_BUCKET = "any-other-bucket";
// Not 32 hex characters, so never a real project's ID.
const OTHER_PROJECT = "any-other-project";
const OTHER_NAME = "any-other";

export function probeKey(probe: AccessRequest): string {
  return `${probe.action} ${probe.resource}`;
}

export function probesFor(scope: AuditScope): Probe[] {
  const { partition, accountId } = scope;
  const iam = (kind: string) => `arn:${partition}:iam::${accountId}:${kind}/${OTHER_NAME}`;
  const bucket = bucketArn(partition, OTHER_BUCKET);
  const object = `${bucket}/any-object`;
  const app = pinpointAppArn({ ...scope, projectId: OTHER_PROJECT });
  const probe = (kind: GrantKind, facet: string, action: string, resource: string): Probe => ({ kind, facet, action, resource });
  return [
    // Actions of unrelated services: allowing all of them is allowing everything.
    ...["iam:CreateUser", "ec2:RunInstances", "kms:ScheduleKeyDeletion", "lambda:CreateFunction", "organizations:LeaveOrganization"].map((action) =>
      probe("administrator", "everything", action, "*"),
    ),
    // Any one of these on every principal lets the holder give itself or anyone any right.
    probe("administrator", "escalate", "iam:AttachUserPolicy", iam("user")),
    probe("administrator", "escalate", "iam:PutUserPolicy", iam("user")),
    probe("administrator", "escalate", "iam:CreateAccessKey", iam("user")),
    probe("administrator", "escalate", "iam:AttachRolePolicy", iam("role")),
    probe("administrator", "escalate", "iam:PutRolePolicy", iam("role")),
    probe("administrator", "escalate", "iam:UpdateAssumeRolePolicy", iam("role")),
    probe("administrator", "escalate", "iam:CreatePolicyVersion", iam("policy")),
    probe("administrator", "escalate", "iam:AttachGroupPolicy", iam("group")),
    probe("administrator", "escalate", "iam:AddUserToGroup", iam("group")),
    probe("administrator", "assume", "sts:AssumeRole", iam("role")),
    probe("every-bucket", "read", "s3:GetObject", object),
    probe("every-bucket", "list", "s3:ListBucket", bucket),
    probe("every-bucket", "write", "s3:PutObject", object),
    probe("every-bucket", "delete", "s3:DeleteObject", object),
    probe("every-bucket", "delete", "s3:DeleteBucket", bucket),
    probe("every-bucket", "configure", "s3:PutBucketPolicy", bucket),
    probe("every-project", "read", "mobiletargeting:GetSegments", app),
    probe("every-project", "import", "mobiletargeting:CreateImportJob", app),
    probe("every-project", "change", "mobiletargeting:CreateSegment", app),
    probe("every-project", "delete", "mobiletargeting:DeleteApp", app),
    probe("every-project", "send", "mobiletargeting:SendMessages", app),
    probe("pass-any-role", "pass", "iam:PassRole", iam("role")),
  ];
}

/** What the grantee needs, as the stack would give it. */
function neededPolicy(context: GrantContext): PolicyDocument {
  const { scope, grantee } = context;
  return grantee.kind === "importer-role" ? importerRolePolicy(scope) : censusAccessPolicy(scope);
}

function variablesOf(grantee: Grantee): PolicyVariables {
  return grantee.kind === "census-user" ? { "aws:username": grantee.userName } : {};
}

// Allowed whoever calls: a statement granting them grants nothing.
const HARMLESS_ACTIONS = ["sts:GetCallerIdentity"];
// Needed with SSE-KMS on the key the bucket uses, which an audit of a hand-made setup does not know:
// on one named key they are taken as the staging bucket's.
const KMS_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"];

// A pattern's stand-in: a concrete value each wildcard could take that no needed value has.
function concrete(pattern: string): string {
  return pattern.replace(/\*/g, "Zz").replace(/\?/g, "Z");
}

function serviceOf(action: string, resource: string): string {
  const service = action.split(":")[0]!.toLowerCase();
  if (!/[*?]/.test(service)) return service;
  return resource === "*" ? "*" : (resource.split(":")[2] ?? "*").toLowerCase();
}

/** Buckets and their objects, Object Lambda included, are one reach. */
function family(service: string): string {
  return service === "s3-object-lambda" ? "s3" : service;
}

function describeStatement(statement: Statement): string {
  const actions = statement.actions.not ? `every action except ${statement.actions.patterns.join(", ")}` : statement.actions.patterns.join(", ");
  const resources = statement.resources.not ? `every resource except ${statement.resources.patterns.join(", ")}` : statement.resources.patterns.join(", ");
  const condition = statement.condition ? `, only when ${JSON.stringify(statement.condition)}` : "";
  return `${statement.effect} ${actions} on ${resources} (statement ${statement.label}${condition})`;
}

interface Pair {
  policy: string;
  statement: Statement;
  action: string;
  resource: string;
}

/** Each Allow statement's (action, resource) pairs; Not… elements stand as `*`, which they nearly are. */
function allowPairs(policies: NamedPolicy[]): Pair[] {
  return policies.flatMap((policy) =>
    statementsOf(policy.document)
      .filter((statement) => statement.effect === "Allow")
      .flatMap((statement) => {
        const actions = statement.actions.not ? ["*"] : statement.actions.patterns;
        const resources = statement.resources.not ? ["*"] : statement.resources.patterns;
        return actions.flatMap((action) => resources.map((resource) => ({ policy: policy.name, statement, action, resource })));
      }),
  );
}

function withinNeed(pair: Pair, context: GrantContext, needed: NamedPolicy[]): boolean {
  const variables = variablesOf(context.grantee);
  const request = { action: concrete(pair.action), resource: concrete(pair.resource) };
  if (HARMLESS_ACTIONS.some((action) => action.toLowerCase() === pair.action.toLowerCase())) return true;
  if (KMS_ACTIONS.some((action) => action.toLowerCase() === pair.action.toLowerCase()) && !/[*?]/.test(pair.resource)) return true;
  return !pair.statement.actions.not && !pair.statement.resources.not && isAllowed(needed, request, variables);
}

function inside(resource: string, arn: string): boolean {
  return resource === arn || resource.startsWith(`${arn}/`);
}

/** Where a right the probes did not show belongs. */
function patternKind(pair: Pair, context: GrantContext): GrantKind {
  const { scope } = context;
  const resource = concrete(pair.resource);
  const service = family(serviceOf(pair.action, pair.resource));
  if (service === "s3" && pair.resource !== "*") return inside(resource, bucketArn(scope.partition, scope.bucketName)) ? "staging-bucket-extra" : "other-buckets";
  if (service === "mobiletargeting" && pair.resource !== "*") return inside(resource, pinpointAppArn(scope)) ? "project-extra" : "other-projects";
  if (actionMatches(pair.action, "iam:PassRole") && service === "iam") return "other-roles";
  return "other-actions";
}

/**
 * Whether a pair is part of a right a probe showed. In S3 and Pinpoint any action on the probe's
 * resource is (s3:Describe* beside s3:Get* on `*`); elsewhere the pair must include the probe's action
 * (iam:ChangePassword is not iam:PassRole). A pair across services (`*`, NotAction) is a right of its own.
 */
function coveredByProbe(pair: Pair, probe: Probe, variables: PolicyVariables): boolean {
  const pairService = family(serviceOf(pair.action, pair.resource));
  if (pairService === "*") return false;
  const probeService = family(probe.action.split(":")[0]!.toLowerCase());
  const sameReach = ["s3", "mobiletargeting"].includes(probeService) ? pairService === probeService : actionMatches(pair.action, probe.action);
  return sameReach && resourceMatches(pair.statement.resources.not ? "*" : pair.resource, probe.resource, variables);
}

function joinWords(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

function everyBucket(count: number | undefined): string {
  if (count === undefined) return "every bucket of this account";
  return count === 1 ? "the account's only bucket" : `all ${count} buckets of this account`;
}

function bucketReach(facets: Set<string>, count: number | undefined): string {
  const verbs = [facets.has("read") && "read", facets.has("write") && "write", facets.has("delete") && "delete"].filter((verb): verb is string => Boolean(verb));
  const where = everyBucket(count);
  const objects = verbs.length === 0 ? `list what is in ${where}` : facets.has("delete") ? `${joinWords(verbs)} objects in ${where}` : `${joinWords(verbs)} ${where}`;
  return facets.has("configure") ? `${objects}, and change their settings and bucket policies` : objects;
}

function projectReach(facets: Set<string>, scope: AuditScope): string {
  const verbs = [
    facets.has("read") && "read",
    (facets.has("import") || facets.has("change")) && "change",
    facets.has("delete") && "delete",
  ].filter((verb): verb is string => Boolean(verb));
  const what = `${verbs.length > 0 ? joinWords(verbs) : "use"} every Amazon Pinpoint project of this account, not only ${scope.projectId}`;
  return facets.has("send") ? `${what}, and send messages from them` : what;
}

function administratorReach(facets: Set<string>): string {
  if (facets.has("everything")) return "do anything in this AWS account (every action on every resource): it is an administrator";
  const ways = [
    facets.has("escalate") && "give itself or anyone any permission (it may change every user's and role's policies), which makes it an administrator",
    facets.has("assume") && "assume any role of this account that trusts the account (sts:AssumeRole on every role), and with it that role's rights",
  ].filter((way): way is string => Boolean(way));
  return ways.join("; and ");
}

function listed(details: string[], limit = 3): string {
  const shown = details.slice(0, limit).join("; ");
  return details.length > limit ? `${shown}; and ${details.length - limit} more` : shown;
}

function patternReach(kind: GrantKind, details: string[], scope: AuditScope): string {
  switch (kind) {
    case "other-buckets":
      return `use buckets other than ${scope.bucketName}: ${listed(details)}`;
    case "other-projects":
      return `use Amazon Pinpoint projects other than ${scope.projectId}: ${listed(details)}`;
    case "other-roles":
      return `pass roles other than the importer role to AWS services: ${listed(details)}`;
    case "staging-bucket-extra":
      return `do more with the staging bucket ${scope.bucketName} than needed: ${listed(details)}`;
    case "project-extra":
      return `do more with project ${scope.projectId} than needed: ${listed(details)}`;
    default:
      return `call actions it does not need: ${listed(details)}`;
  }
}

function uniqueSources(sources: GrantSource[]): GrantSource[] {
  const seen = new Set<string>();
  return sources.filter((source) => {
    const key = `${source.policy}\u0000${source.statement}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface GrantOptions {
  /** The grantee's other policies: their Deny statements count (an Allow here may be refused there). */
  alongside?: NamedPolicy[];
  /** The policy simulator's verdicts: a probe it refused is not a right, whatever the documents say. */
  verdicts?: ProbeVerdicts;
}

/** What `policies` grant beyond the need, worst first. */
export function grantsBeyondNeed(policies: NamedPolicy[], context: GrantContext, options: GrantOptions = {}): Grant[] {
  const { scope } = context;
  const variables = variablesOf(context.grantee);
  const denying = [...policies, ...(options.alongside ?? [])];
  const needed: NamedPolicy[] = [{ name: "needed", document: neededPolicy(context) }];

  const probes = probesFor(scope);
  const read = probes.filter((probe) => allowingStatements(policies, probe, variables).length > 0 && denyingStatements(denying, probe, variables).length === 0);
  const shown = read.filter((probe) => options.verdicts?.get(probeKey(probe)) !== false);
  const isEverything = (probe: Probe) => probe.facet === "everything";
  const everything = probes.filter(isEverything).every((probe) => shown.includes(probe));
  // An administrator's other rights follow from that one: naming them adds nothing.
  const probed = everything ? shown.filter(isEverything) : shown.filter((probe) => !isEverything(probe));
  // What the reading found, the simulator's refusals included: a statement part of a refused right is
  // not listed again as a right of its own.
  const readEverything = probes.filter(isEverything).every((probe) => read.includes(probe));
  const covering = read.filter((probe) => !isEverything(probe));

  const grants = new Map<GrantKind, Grant>();
  const grantOf = (kind: GrantKind): Grant => {
    let grant = grants.get(kind);
    if (!grant) {
      grant = { kind, severity: SEVERITY[kind], reach: "", sources: [], probes: [], details: [] };
      grants.set(kind, grant);
    }
    return grant;
  };
  for (const probe of probed) {
    const grant = grantOf(probe.kind);
    grant.probes.push(probe);
    for (const { policy, statement } of allowingStatements(policies, probe, variables)) grant.sources.push({ policy, statement: describeStatement(statement) });
  }

  const patternActions = new Map<string, string[]>();
  for (const pair of allowPairs(policies)) {
    if (withinNeed(pair, context, needed)) continue;
    if (denyingStatements(denying, { action: concrete(pair.action), resource: concrete(pair.resource) }, variables).length > 0) continue;
    if (readEverything || covering.some((probe) => coveredByProbe(pair, probe, variables))) continue;
    const kind = patternKind(pair, context);
    grantOf(kind).sources.push({ policy: pair.policy, statement: describeStatement(pair.statement) });
    const group = `${kind}\u0000${pair.policy}\u0000${pair.statement.label}\u0000${pair.resource}`;
    const actions = patternActions.get(group) ?? patternActions.set(group, []).get(group)!;
    actions.push(pair.statement.actions.not ? `every action except ${pair.statement.actions.patterns.join(", ")}` : pair.action);
  }
  // One detail per statement and resource: "organizations:DescribeAccount, … (10 actions) on *".
  for (const [group, actions] of patternActions) {
    const [kind, , , resource] = group.split("\u0000") as [GrantKind, string, string, string];
    const shownActions = actions.length > 4 ? `${actions.slice(0, 3).join(", ")} and ${actions.length - 3} more` : actions.join(", ");
    grantOf(kind).details.push(`${shownActions} on ${resource}`);
  }
  // Who may change any policy may do all the rest; passing roles is one of it.
  if (grants.has("administrator")) grants.delete("pass-any-role");

  return GRANT_KINDS.flatMap((kind) => {
    const grant = grants.get(kind);
    if (!grant) return [];
    const facets = new Set(grant.probes.map((probe) => probe.facet));
    const reach =
      kind === "administrator"
        ? administratorReach(facets)
        : kind === "every-bucket"
          ? bucketReach(facets, context.bucketCount)
          : kind === "every-project"
            ? projectReach(facets, scope)
            : kind === "pass-any-role"
              ? "pass any role of this account to an AWS service (iam:PassRole on every role), so a service can act with more rights than its own"
              : patternReach(kind, grant.details, scope);
    return [{ ...grant, reach, sources: uniqueSources(grant.sources) }];
  });
}

/** What the importer role needs that `policies` do not give, as "action on resource". */
export function missingImporterNeeds(policies: NamedPolicy[], scope: AuditScope): string[] {
  const bucket = bucketArn(scope.partition, scope.bucketName);
  const requests: AccessRequest[] = [
    { action: "s3:GetObject", resource: `${bucket}/staged-file.csv` },
    { action: "s3:ListBucket", resource: bucket },
  ];
  return requests.filter((request) => !isAllowed(policies, request)).map((request) => `${request.action} on ${request.resource}`);
}
