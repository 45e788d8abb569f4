/**
 * What `retire` removes of a setup made by hand by following Census's guide, in which order, and how
 * each piece is named before it goes. Pure: the readings come in (aws/legacyIam.ts), a plan goes out,
 * and every refusal is a UsageError thrown before anything is deleted.
 *
 * Only the legacy pieces go: the access key Census held (never its user, which is often a person's or
 * an administrator's, nor that user's other keys, groups or policies) and the importer role (with the
 * inline policies and attachments IAM makes us remove first; a customer managed policy is only
 * detached, as something else may use it). With --keep-role the role stays and only the AWS managed
 * policies that reach beyond any staging bucket are detached.
 */
import { MANAGED_BY_TAG } from "../../infra/names.js";
import { UsageError } from "../errors.js";
import type { IamDeletion, LegacyKey, LegacyRole } from "../aws/legacyIam.js";

export type RetireKind = "access-key" | "iam-role" | "role-policies" | "iam-user" | "managed-policy";

/** Something retire names: what it removed, found already gone, or keeps. */
export interface Mention {
  kind: RetireKind;
  /** The AWS identifier: an access key ID, a role's or policy's ARN, a user's name. */
  id: string;
  /** As AWS names it, e.g. "access key AKIA… of IAM user dana.admin (last used …)". */
  description: string;
}

export interface LegacyPiece extends Mention {
  kind: "access-key" | "iam-role" | "role-policies";
  /** In the order IAM needs them. */
  deletions: IamDeletion[];
  /** Why it may still be in use. */
  warnings: string[];
}

export interface RetirePlan {
  /** In the order they go: the key, then the role. */
  pieces: LegacyPiece[];
  alreadyGone: Mention[];
  kept: Mention[];
}

export interface RetireRequest {
  /** The credentials running retire: their key must never be the one that goes. */
  caller: { accountId: string; arn: string; accessKeyId: string };
  key?: { accessKeyId: string; found?: LegacyKey };
  role?: { arn: string; name: string; found?: LegacyRole };
  keepRole: boolean;
  /** Milliseconds since the epoch. */
  now: number;
  /** ISO time of the last update of this tool's stack for the region and project, when there is one. */
  stackUpdatedAt?: string;
}

const PINPOINT_SERVICE = "pinpoint.amazonaws.com";
const TEARDOWN = "retiring a managed stack is `census-pinpoint teardown`";
const RECENT_MS = 24 * 60 * 60 * 1000;

/**
 * AWS managed policies that reach beyond any one staging bucket, detached under --keep-role. Kept
 * simple on purpose: an AWS managed S3 policy is never scoped to a bucket, and the broad job-function
 * policies read (or write) every bucket; customer managed policies may be scoped, and `audit` reads
 * those.
 */
const BROAD_AWS_MANAGED = new Set(["AdministratorAccess", "PowerUserAccess", "ReadOnlyAccess"]);

export function reachesBeyondBucket(policyArn: string): boolean {
  const name = /^arn:[\w-]+:iam::aws:policy\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/.exec(policyArn)?.[1];
  return name !== undefined && (name.startsWith("AmazonS3") || BROAD_AWS_MANAGED.has(name));
}

function isAwsManaged(policyArn: string): boolean {
  return /^arn:[\w-]+:iam::aws:policy\//.test(policyArn);
}

/** An access key ID as IAM issues them to users; a temporary one (ASIA…) cannot be deleted, only expire. */
export function checkAccessKeyId(accessKeyId: string, source: string): string {
  if (/^ASIA[A-Z0-9]+$/.test(accessKeyId)) {
    throw new UsageError(
      `${source} holds temporary credentials (${accessKeyId}), not an IAM user's access key: there is no key to delete.`,
      "Pass the access key ID Census held (Census → the Amazon Pinpoint destination → Access Key ID) with --access-key-id.",
    );
  }
  if (!/^AKIA[A-Z0-9]{12,124}$/.test(accessKeyId)) {
    throw new UsageError(
      `${source}: "${accessKeyId}" is not an IAM user's access key ID (they start with AKIA, e.g. AKIAI44QH8DHBEXAMPLE).`,
      "Copy it from Census (the Amazon Pinpoint destination's Access Key ID) or from IAM → Users → the user → Security credentials.",
    );
  }
  return accessKeyId;
}

/** retire acts with the caller's credentials, which can only see and delete what their own account holds. */
export function checkRoleAccount(roleArn: string, roleAccountId: string, callerAccountId: string): void {
  if (roleAccountId === callerAccountId) return;
  throw new UsageError(
    `--role-arn ${roleArn} is in AWS account ${roleAccountId}, but these credentials belong to account ${callerAccountId}.`,
    `Use credentials for account ${roleAccountId} (--profile <name> or AWS_PROFILE).`,
  );
}

function isManaged(tags: Record<string, string>): boolean {
  return tags["managed-by"] === MANAGED_BY_TAG["managed-by"];
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** True when some Allow statement lets Amazon Pinpoint assume the role: what makes it an importer role. */
export function trustsPinpoint(trustPolicy: unknown): boolean {
  const statements = asList((trustPolicy as { Statement?: unknown } | undefined)?.Statement);
  return statements.some((statement) => {
    const { Effect, Principal } = (statement ?? {}) as { Effect?: unknown; Principal?: { Service?: unknown } };
    return Effect === "Allow" && asList(Principal?.Service).includes(PINPOINT_SERVICE);
  });
}

/** Each refusal names what to do instead; all are checked before anything is deleted. */
function refuse(request: RetireRequest): void {
  const { key, role, caller } = request;
  if (role?.found && isManaged(role.found.tags)) {
    throw new UsageError(
      `IAM role ${role.name} is tagged managed-by=census-pinpoint: that is the stack's; ${TEARDOWN}.`,
      "retire removes only what was made by hand: pass the importer role Census's guide had you create with --role-arn.",
    );
  }
  if (key?.found && isManaged(key.found.userTags)) {
    throw new UsageError(
      `Access key ${key.accessKeyId} belongs to IAM user ${key.found.userName}, tagged managed-by=census-pinpoint: that is the stack's; ${TEARDOWN}.`,
      "`census-pinpoint rotate-key` replaces a stack's key; retire removes only a key made by hand (--access-key-id or --key-profile).",
    );
  }
  if (role?.found && !trustsPinpoint(role.found.trustPolicy)) {
    throw new UsageError(
      `IAM role ${role.name} does not trust ${PINPOINT_SERVICE}: it is not an Amazon Pinpoint importer role, so retire leaves it alone.`,
      "Check --role-arn: it must be the Importer Role ARN Census held; that role's trust relationships name pinpoint.amazonaws.com.",
    );
  }
  if (key && key.accessKeyId === caller.accessKeyId) {
    throw new UsageError(
      `Access key ${key.accessKeyId} is the one the credentials running retire use (${caller.arn}): deleting it would lock you out.`,
      "Run retire with other credentials (--profile <name> or AWS_PROFILE), e.g. an administrator's role; then this key can go.",
    );
  }
}

function formatTime(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Why a last use at `at` may mean the piece is still in use: within a day, or after the stack (adopt) last changed. */
function recentUse(at: Date | undefined, request: RetireRequest): string | undefined {
  if (at === undefined) return undefined;
  if (request.now - at.getTime() < RECENT_MS) return "within the last 24 hours";
  const updated = request.stackUpdatedAt === undefined ? Number.NaN : Date.parse(request.stackUpdatedAt);
  return at.getTime() > updated ? `after the stack's last update (${formatTime(new Date(updated))})` : undefined;
}

function keyDescription(key: LegacyKey): string {
  const { at, service, region } = key.lastUse;
  const where = [service, region].filter((part) => part && part !== "N/A").join(" in ");
  const use = at ? `last used ${formatTime(at)}${where ? `, ${where}` : ""}` : "never used";
  return `access key ${key.accessKeyId} of IAM user ${key.userName} (${key.active ? "" : "inactive, "}${use})`;
}

function keyPiece(found: LegacyKey, request: RetireRequest): LegacyPiece {
  const recent = recentUse(found.lastUse.at, request);
  return {
    kind: "access-key",
    id: found.accessKeyId,
    description: keyDescription(found),
    deletions: [{ action: "DeleteAccessKey", userName: found.userName, accessKeyId: found.accessKeyId }],
    warnings: recent
      ? [
          `Access key ${found.accessKeyId} was last used ${formatTime(found.lastUse.at!)}, ${recent}: Census may still be using it. ` +
            "Check that Census's Amazon Pinpoint connection holds the new key (`census-pinpoint credentials`) before this one goes.",
        ]
      : [],
  };
}

function keptUser(found: LegacyKey): Mention {
  const count = found.otherKeyIds.length;
  const others = count === 0 ? "" : `its other ${count === 1 ? "access key" : `${count} access keys`} (${found.otherKeyIds.join(", ")}), `;
  return {
    kind: "iam-user",
    id: found.userName,
    description: `IAM user ${found.userName}: only the key Census held goes; ${others}any password, its groups and its policies stay`,
  };
}

function roleUseWarning(role: LegacyRole, request: RetireRequest): string[] {
  const recent = recentUse(role.lastUsedAt, request);
  return recent
    ? [
        `Amazon Pinpoint last assumed IAM role ${role.name} ${formatTime(role.lastUsedAt!)}, ${recent}: an import may still use it. ` +
          "Check that Census's connection holds the new Importer Role ARN before this role goes.",
      ]
    : [];
}

function names(policies: ReadonlyArray<{ name: string }>): string {
  return policies.map((policy) => policy.name).join(", ");
}

/** IAM deletes a role only once it is out of its instance profiles, has no inline policy and nothing attached. */
function rolePiece(role: LegacyRole, request: RetireRequest): LegacyPiece {
  const { name, inlinePolicyNames: inline, attachedPolicies: attached, instanceProfileNames: profiles } = role;
  const parts = [
    inline.length === 0 ? `IAM role ${name}` : `IAM role ${name} with its ${inline.length === 1 ? "inline policy" : `${inline.length} inline policies`} (${inline.join(", ")})`,
    ...(attached.length > 0 ? [`${names(attached)} detached`] : []),
    ...(profiles.length > 0 ? [`removed from instance profile${profiles.length === 1 ? "" : "s"} ${profiles.join(", ")}`] : []),
  ];
  return {
    kind: "iam-role",
    id: role.arn,
    description: parts.join("; "),
    deletions: [
      ...profiles.map((instanceProfileName): IamDeletion => ({ action: "RemoveRoleFromInstanceProfile", roleName: name, instanceProfileName })),
      ...inline.map((policyName): IamDeletion => ({ action: "DeleteRolePolicy", roleName: name, policyName })),
      ...attached.map((policy): IamDeletion => ({ action: "DetachRolePolicy", roleName: name, policyArn: policy.arn })),
      { action: "DeleteRole", roleName: name },
    ],
    warnings: roleUseWarning(role, request),
  };
}

function keptPolicies(role: LegacyRole): Mention[] {
  return role.attachedPolicies
    .filter((policy) => !isAwsManaged(policy.arn))
    .map((policy) => ({ kind: "managed-policy", id: policy.arn, description: `customer managed policy ${policy.name}: detached from IAM role ${role.name}, not deleted` }));
}

/** --keep-role: the role stays with its trust policy, inline policies and scoped attachments. */
function keepRolePlan(role: LegacyRole, request: RetireRequest): Pick<RetirePlan, "pieces" | "alreadyGone" | "kept"> {
  const broad = role.attachedPolicies.filter((policy) => reachesBeyondBucket(policy.arn));
  const staying = [...role.inlinePolicyNames.map((policyName) => `inline policy ${policyName}`), ...role.attachedPolicies.filter((policy) => !broad.includes(policy)).map((policy) => policy.name)];
  const kept: Mention = {
    kind: "iam-role",
    id: role.arn,
    description: `IAM role ${role.name} (--keep-role), with its trust policy${staying.length > 0 ? ` and ${staying.join(", ")}` : ""}`,
  };
  if (broad.length === 0) {
    return {
      pieces: [],
      alreadyGone: [{ kind: "role-policies", id: role.arn, description: `AWS managed S3 and administrator policies on IAM role ${role.name}: none attached` }],
      kept: [kept],
    };
  }
  const piece: LegacyPiece = {
    kind: "role-policies",
    id: role.arn,
    description: `${names(broad)} detached from IAM role ${role.name} (the role stays: --keep-role)`,
    deletions: broad.map((policy): IamDeletion => ({ action: "DetachRolePolicy", roleName: role.name, policyArn: policy.arn })),
    warnings: roleUseWarning(role, request),
  };
  return { pieces: [piece], alreadyGone: [], kept: [kept] };
}

/** What goes, what is already gone and what stays. Throws UsageError for a key or role retire must not touch. */
export function planRetirement(request: RetireRequest): RetirePlan {
  refuse(request);
  const plan: RetirePlan = { pieces: [], alreadyGone: [], kept: [] };
  const { key, role } = request;
  if (key?.found) {
    plan.pieces.push(keyPiece(key.found, request));
    plan.kept.push(keptUser(key.found));
  } else if (key) {
    plan.alreadyGone.push({ kind: "access-key", id: key.accessKeyId, description: `access key ${key.accessKeyId} (IAM has no such key in account ${request.caller.accountId})` });
  }
  if (role?.found && request.keepRole) {
    const kept = keepRolePlan(role.found, request);
    plan.pieces.push(...kept.pieces);
    plan.alreadyGone.push(...kept.alreadyGone);
    plan.kept.push(...kept.kept);
  } else if (role?.found) {
    plan.pieces.push(rolePiece(role.found, request));
    plan.kept.push(...keptPolicies(role.found));
  } else if (role) {
    plan.alreadyGone.push({ kind: "iam-role", id: role.arn, description: `IAM role ${role.name} (IAM has no such role)` });
  }
  return plan;
}

/** A piece the user chose to keep, as the report names it. */
export function deselected(piece: LegacyPiece): Mention {
  return { kind: piece.kind, id: piece.id, description: `${piece.description}, not selected` };
}
