/**
 * Census's identity: whose access key Census holds, what that identity may do beyond the staging
 * bucket, the project and passing the importer role, how its rights reach it (Security Hub IAM.2),
 * and how old and how used the key is (IAM.3, IAM.8). Read with the administrator's credentials,
 * except the question "whose key is this", which only the key itself can answer. Read-only.
 *
 * A hand-made setup often gave Census a person's own key. Then no fix may touch what is the person's:
 * not their user, not their other keys, not their policies. Census gets a user of its own instead.
 */
import { censusAccessPolicy } from "../../infra/policies.js";
import { accessKeysOf, keyLastUse, type AccessKeyRecord } from "../aws/accessKeys.js";
import { countBuckets } from "../aws/bucketCount.js";
import { readUser, type UserRecord } from "../aws/iamPrincipals.js";
import { ageInDays, KEY_AGE_LIMIT_DAYS } from "../aws/keyAge.js";
import { keyOwnerOfProfile } from "../aws/keyOwner.js";
import { policiesOf, type PrincipalPolicy } from "../aws/principalPolicies.js";
import { CliError } from "../errors.js";
import { describePolicy, findingMethod, fullAdministratorInCustomerPolicy, policyLabel, statementEvidence } from "./grantWords.js";
import { grantsBeyondNeed, auditScopeOf, type AuditScope, type Grant, type GrantContext } from "./policyGrants.js";
import { SEVERITIES, type AreaResult, type AuditFinding, type AuditOptions, type AuditSubject } from "./report.js";
import { shellQuoted } from "./shell.js";
import { probesOf, simulate, simulationEvidence, verdictsOf, type Simulation } from "./simulation.js";

type FindingFields = Omit<AuditFinding, "area">;

function finding(fields: FindingFields): AuditFinding {
  return { ...fields, area: "census-identity" };
}

/** Whose key Census holds, once resolved: the IAM user, and which of its keys are Census's. */
interface Holder {
  userName: string;
  /** Census's key, when it is known; undefined: every key of the user is reviewed. */
  accessKeyId?: string;
  /** Where the key came from, for messages. */
  source: string;
}

type Resolution = { holder: Holder } | { finding: AuditFinding } | { skipped: string };

const ADOPT = "`census-pinpoint adopt`";

async function resolveHolder(subject: AuditSubject, accountId: string): Promise<Resolution> {
  const { census } = subject;
  if (census.kind === "user") return { holder: { userName: census.userName, source: "named by --census-user; each of its keys is reviewed" } };
  if (census.kind === "stack") return { holder: { userName: census.userName, accessKeyId: census.accessKeyId, source: `stack ${subject.stackName ?? ""}`.trim() } };

  const source = `AWS profile "${census.profile}"`;
  const owner = await keyOwnerOfProfile(subject.admin, census.profile);
  if (owner.via === "sts" && owner.accountId !== accountId) {
    return { skipped: `the key in ${source} belongs to AWS account ${owner.accountId}, and the importer role to ${accountId}` };
  }
  const evidence = owner.via === "sts" ? [`STS GetCallerIdentity with the key: ${owner.arn}`] : [];
  switch (owner.principal.kind) {
    case "user":
      return { holder: { userName: owner.principal.name, accessKeyId: owner.accessKeyId, source } };
    case "root":
      return {
        finding: finding({
          id: "census-key-root",
          severity: "critical",
          control: "IAM.4",
          problem: `Census's key (${owner.accessKeyId}, in ${source}) is an access key of the root user of account ${accountId}: it can do anything in the account, and no policy can limit it.`,
          evidence,
          fix: `Run ${ADOPT}: it creates an IAM user for Census with only what Census needs and prints its key. Once Census uses that key, delete the root user's access key ${owner.accessKeyId} (sign in as the root user → Security credentials → Access keys); AWS advises the root user to have none.`,
          method: "api",
        }),
      };
    case "assumed-role":
      return {
        finding: finding({
          id: "census-key-temporary",
          severity: "medium",
          problem: `${source} holds temporary credentials of role ${owner.principal.roleName}, not an access key of an IAM user: they expire, and Census's syncs fail from then on.`,
          evidence,
          fix: `Run ${ADOPT}: it creates an IAM user for Census with only what Census needs and prints a long-lived key for it.`,
          method: "api",
        }),
      };
    case "other":
      return { skipped: `the key in ${source} is not an IAM user's (${evidence.join("")})` };
  }
}

/** What says a person signs in as this user. */
function personSignals(user: UserRecord): string[] {
  return [
    user.consolePassword ? "it has a console password (a login profile)" : undefined,
    user.mfaDevices > 0 ? `it has ${user.mfaDevices} MFA device${user.mfaDevices === 1 ? "" : "s"}` : undefined,
  ].filter((signal): signal is string => signal !== undefined);
}

function keyNames(holder: Holder): string {
  return holder.accessKeyId ? `the key ${holder.accessKeyId}` : "the key Census holds";
}

/** For a person's user: leave everything of theirs, give Census its own user. */
function dedicatedUserFix(holder: Holder): string {
  return `Leave user ${holder.userName} and its policies and other keys as they are: it is a person's. Run ${ADOPT}: it creates a user for Census alone, with only what Census needs, and prints its key. Once Census uses that key, remove only ${keyNames(holder)} from ${holder.userName} (\`census-pinpoint retire\`).`;
}

/** The exact command that takes one policy away from the user, naming exactly that policy. */
function removalCommand(userName: string, policy: PrincipalPolicy): string {
  if (policy.holder.kind === "group") return `aws iam remove-user-from-group --group-name ${policy.holder.name} --user-name ${userName}`;
  return policy.kind === "managed"
    ? `aws iam detach-user-policy --user-name ${userName} --policy-arn ${policy.arn}`
    : `aws iam delete-user-policy --user-name ${userName} --policy-name ${shellQuoted(policy.name)}`;
}

/** The group a fix gives a dedicated user its rights through (Security Hub IAM.2). */
function groupFor(holder: Holder): string {
  return `${holder.userName}-census`;
}

function grantFix(scope: AuditScope, holder: Holder, person: boolean, policies: PrincipalPolicy[]): string {
  if (person) return dedicatedUserFix(holder);
  const group = groupFor(holder);
  return [
    "Give the user only what Census needs, through a group, then take away what grants more (each command names exactly one policy or group):",
    `aws iam create-group --group-name ${group}`,
    `aws iam put-group-policy --group-name ${group} --policy-name CensusPinpointAccess --policy-document ${shellQuoted(JSON.stringify(censusAccessPolicy(scope)))}`,
    `aws iam add-user-to-group --group-name ${group} --user-name ${holder.userName}`,
    ...new Set(policies.map((policy) => removalCommand(holder.userName, policy))),
    `Or run ${ADOPT}: it creates a least-privilege Census user beside this one and leaves this one until you retire it.`,
  ].join("\n");
}

function grantFinding(scope: AuditScope, holder: Holder, person: boolean, grant: Grant, policies: PrincipalPolicy[], simulation: Simulation): AuditFinding {
  const granting = policies.filter((policy) => grant.sources.some((source) => source.policy === policyLabel(policy)));
  const customerAdmin = granting.some((policy) => fullAdministratorInCustomerPolicy(policy, grant));
  return finding({
    id: `census-key-${grant.kind}`,
    severity: grant.severity,
    ...(customerAdmin ? { control: "IAM.1" } : {}),
    problem: `Census's key (user ${holder.userName}) may ${grant.reach}. Census needs only the staging bucket ${scope.bucketName}, project ${scope.projectId} and passing the importer role.`,
    evidence: [
      ...granting.map((policy) => `${describePolicy(policy)}${policy.arn ? ` (${policy.arn})` : ""}`),
      ...statementEvidence([grant]),
      ...simulationEvidence(grant, simulation),
    ],
    fix: grantFix(scope, holder, person, granting),
    method: findingMethod([grant], simulation),
  });
}

function directPoliciesFinding(holder: Holder, person: boolean, direct: PrincipalPolicy[]): AuditFinding {
  const group = groupFor(holder);
  const moves = direct.flatMap((policy) =>
    policy.kind === "managed"
      ? [`aws iam attach-group-policy --group-name ${group} --policy-arn ${policy.arn}`, `aws iam detach-user-policy --user-name ${holder.userName} --policy-arn ${policy.arn}`]
      : [
          `aws iam put-group-policy --group-name ${group} --policy-name ${shellQuoted(policy.name)} --policy-document ${shellQuoted(JSON.stringify(policy.document))}`,
          `aws iam delete-user-policy --user-name ${holder.userName} --policy-name ${shellQuoted(policy.name)}`,
        ],
  );
  return finding({
    id: "census-user-direct-policies",
    severity: "medium",
    control: "IAM.2",
    problem: `User ${holder.userName} gets its rights from ${direct.length === 1 ? "a policy" : `${direct.length} policies`} attached to the user itself, not through a group: ${direct.map(policyLabel).join(", ")}.`,
    evidence: direct.map((policy) => `${describePolicy(policy)}${policy.arn ? ` (${policy.arn})` : ""}, attached to user ${holder.userName}`),
    fix: person
      ? dedicatedUserFix(holder)
      : [
          `Move the policies to a group (the user keeps the same rights meanwhile):`,
          `aws iam create-group --group-name ${group}`,
          `aws iam add-user-to-group --group-name ${group} --user-name ${holder.userName}`,
          ...moves,
        ].join("\n"),
    method: "api",
  });
}

async function policyOutcomes(subject: AuditSubject, scope: AuditScope, holder: Holder, user: UserRecord, person: boolean): Promise<Array<AuditFinding | string>> {
  const policies = await policiesOf(subject.admin, { kind: "user", name: holder.userName });
  const all = policies.map((policy) => ({ name: policyLabel(policy), document: policy.document }));
  const context: GrantContext = { scope, grantee: { kind: "census-user", userName: holder.userName } };
  const read = grantsBeyondNeed(all, context);
  if (read.some((grant) => grant.kind === "every-bucket")) context.bucketCount = await countBuckets(subject.admin);
  const simulation = read.length > 0 ? await simulate(subject.admin, user.arn, probesOf(read)) : ({ available: true, decisions: new Map() } as const);
  const grants = grantsBeyondNeed(all, context, { verdicts: verdictsOf(simulation) });

  const outcomes: Array<AuditFinding | string> = grants.map((grant) => grantFinding(scope, holder, person, grant, policies, simulation));
  for (const refuted of read.filter((grant) => !grants.some((kept) => kept.kind === grant.kind))) {
    outcomes.push(`IAM's policy simulator refuses what the policies seem to allow user ${holder.userName} (${refuted.reach}): a permissions boundary or a Deny stops it`);
  }
  if (grants.length === 0 && read.length === 0) outcomes.push(`User ${holder.userName} may do nothing beyond the staging bucket, the project and passing the importer role`);
  const direct = policies.filter((policy) => policy.holder.kind === "user");
  outcomes.push(direct.length > 0 ? directPoliciesFinding(holder, person, direct) : `User ${holder.userName} gets its rights through groups only (IAM.2)`);
  return outcomes;
}

function keyFix(subject: AuditSubject, holder: Holder, person: boolean, keyId: string): string {
  if (subject.census.kind === "stack") return `Rotate it without downtime: census-pinpoint rotate-key --region ${subject.region} --project-id ${subject.projectId}`;
  if (person) return dedicatedUserFix(holder);
  return [
    `Give Census a new key, then retire this one:`,
    `aws iam create-access-key --user-name ${holder.userName}`,
    `(paste the new key into Census and let a sync run)`,
    `aws iam update-access-key --user-name ${holder.userName} --access-key-id ${keyId} --status Inactive`,
    `aws iam delete-access-key --user-name ${holder.userName} --access-key-id ${keyId}`,
    `Or run ${ADOPT}: it gives Census a new user and key and leaves this one until you retire it.`,
  ].join("\n");
}

async function keyOutcomes(subject: AuditSubject, options: AuditOptions, holder: Holder, person: boolean, keys: AccessKeyRecord[]): Promise<Array<AuditFinding | string>> {
  const reviewed = holder.accessKeyId ? keys.filter((key) => key.id === holder.accessKeyId) : keys;
  if (holder.accessKeyId && reviewed.length === 0) return [`IAM lists no access key ${holder.accessKeyId} for user ${holder.userName}; its age and last use are unknown`];
  const outcomes: Array<AuditFinding | string> = [];
  for (const key of reviewed) {
    const created = key.createdAt?.toISOString();
    const age = ageInDays(created, options.now);
    const lastUse = await keyLastUse(subject.admin, key.id);
    const lastUsedAt = lastUse.at?.toISOString();
    const idle = lastUse.at ? ageInDays(lastUsedAt, options.now) : age;
    const state = `created ${created ?? "at an unknown time"}${age === undefined ? "" : ` (${age} days ago)`}, ${key.active ? "active" : "inactive"}`;
    const use = lastUse.at ? `last used ${lastUsedAt} (${idle} days ago) with ${lastUse.service ?? "an unknown service"} in ${lastUse.region ?? "an unknown region"}` : "never used";
    const evidence = [`Access key ${key.id} of user ${holder.userName}: ${state}; ${use}`];
    if (age !== undefined && age > KEY_AGE_LIMIT_DAYS) {
      outcomes.push(
        finding({
          id: "census-key-old",
          severity: "medium",
          control: "IAM.3",
          problem: `Access key ${key.id} of user ${holder.userName} is ${age} days old; keys should be rotated within ${KEY_AGE_LIMIT_DAYS} days.`,
          evidence,
          fix: keyFix(subject, holder, person, key.id),
          method: "api",
        }),
      );
    }
    if (idle !== undefined && idle >= KEY_AGE_LIMIT_DAYS) {
      outcomes.push(
        finding({
          id: "census-key-unused",
          severity: "medium",
          control: "IAM.8",
          problem: `Access key ${key.id} of user ${holder.userName} has not been used for ${idle} days${lastUse.at ? ` (last used with ${lastUse.service ?? "an unknown service"})` : " (never used)"}: a key nobody uses is only a risk. If Census no longer syncs to Pinpoint, retire it.`,
          evidence,
          fix: person
            ? dedicatedUserFix(holder)
            : `Deactivate it, and delete it once nothing breaks:\naws iam update-access-key --user-name ${holder.userName} --access-key-id ${key.id} --status Inactive\naws iam delete-access-key --user-name ${holder.userName} --access-key-id ${key.id}`,
          method: "api",
        }),
      );
    }
    if ((age === undefined || age <= KEY_AGE_LIMIT_DAYS) && (idle === undefined || idle < KEY_AGE_LIMIT_DAYS)) outcomes.push(`Access key ${key.id}: ${state}; ${use}`);
  }
  return outcomes;
}

function sharedUserFinding(holder: Holder, signals: string[], otherKeys: AccessKeyRecord[]): AuditFinding {
  const others = otherKeys.length > 0 ? `, and it has ${otherKeys.length === 1 ? "another access key" : `${otherKeys.length} other access keys`} (${otherKeys.map((key) => key.id).join(", ")})` : "";
  return finding({
    id: "census-key-shared-with-person",
    severity: "high",
    problem: `Census's key belongs to ${holder.userName}, a user a person signs in as: ${signals.join(" and ")}${others}. Census acts with that person's rights, and whatever they change on the user changes what Census can do.`,
    evidence: [...signals.map((signal) => `User ${holder.userName}: ${signal}`), ...otherKeys.map((key) => `User ${holder.userName}: access key ${key.id} besides Census's`)],
    fix: dedicatedUserFix(holder),
    method: "api",
  });
}

export async function auditCensusIdentity(subject: AuditSubject, options: AuditOptions): Promise<AreaResult> {
  const result: AreaResult = { area: "census-identity", findings: [], passed: [] };
  const scoped = auditScopeOf(subject);
  if (!scoped) return { ...result, skipped: `${subject.importerRoleArn} is not the ARN of an IAM role, so the account is unknown` };
  const { scope } = scoped;
  options.onProgress({ kind: "step", message: "Reviewing Census's identity" });
  const record = (outcome: AuditFinding | string) => (typeof outcome === "string" ? result.passed.push(outcome) : result.findings.push(outcome));

  try {
    const resolution = await resolveHolder(subject, scope.accountId);
    if ("skipped" in resolution) return { ...result, skipped: resolution.skipped };
    if ("finding" in resolution) return { ...result, findings: [resolution.finding] };
    const { holder } = resolution;
    const user = await readUser(subject.admin, holder.userName);
    if (!user) return { ...result, skipped: `there is no IAM user ${holder.userName} in account ${scope.accountId}` };
    record(`Census's key ${holder.accessKeyId ? `${holder.accessKeyId} ` : ""}belongs to IAM user ${holder.userName} (${holder.source})`);

    const keys = await accessKeysOf(subject.admin, holder.userName);
    const signals = personSignals(user);
    const person = signals.length > 0;
    if (person) record(sharedUserFinding(holder, signals, holder.accessKeyId ? keys.filter((key) => key.id !== holder.accessKeyId) : []));
    else record(`User ${holder.userName} has no console password and no MFA device: no person signs in as it`);
    for (const outcome of await policyOutcomes(subject, scope, holder, user, person)) record(outcome);
    for (const outcome of await keyOutcomes(subject, options, holder, person, keys)) record(outcome);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    return { ...result, skipped: error.message };
  }
  result.findings.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
  return result;
}
