/**
 * The importer role, read with the administrator's credentials: whom its trust policy lets assume it
 * (Amazon Pinpoint, for this account and project only), and every policy that reaches it, measured
 * against what Pinpoint needs of it: reading the staging bucket. Read-only.
 */
import { importerRolePolicy, pinpointAppArn, PINPOINT_SERVICE_PRINCIPAL } from "../../infra/policies.js";
import { importerTrustPolicy } from "../../infra/trustPolicy.js";
import { countBuckets } from "../aws/bucketCount.js";
import { readRole } from "../aws/iamPrincipals.js";
import { policiesOf, type PrincipalPolicy } from "../aws/principalPolicies.js";
import { CliError } from "../errors.js";
import { analyzeTrustPolicy } from "../verify/trustConditions.js";
import { describePolicy, findingMethod, fullAdministratorInCustomerPolicy, policyLabel, reachesOf, statementEvidence } from "./grantWords.js";
import { grantsBeyondNeed, missingImporterNeeds, auditScopeOf, type AuditScope, type Grant, type GrantContext } from "./policyGrants.js";
import type { NamedPolicy } from "./policyEvaluation.js";
import { SEVERITIES, type AreaResult, type AuditFinding, type AuditOptions, type AuditSubject } from "./report.js";
import { shellQuoted } from "./shell.js";
import { probesOf, simulate, simulationEvidence, verdictsOf, type Simulation } from "./simulation.js";

/** The inline policy a fix puts on the role instead of what it has. */
const LEAST_PRIVILEGE_POLICY_NAME = "CensusPinpointStagingRead";

type FindingFields = Omit<AuditFinding, "area">;

function finding(fields: FindingFields): AuditFinding {
  return { ...fields, area: "importer-role" };
}

function trustFinding(scope: AuditScope, roleName: string, trustPolicy: unknown): AuditFinding | string {
  const appArn = pinpointAppArn(scope);
  const analysis = analyzeTrustPolicy(trustPolicy, { accountId: scope.accountId, appArn });
  const expected = importerTrustPolicy(scope);
  const fix = `Replace the role's trust policy with one that admits Amazon Pinpoint for this account and project only:\naws iam update-assume-role-policy --role-name ${roleName} --policy-document ${shellQuoted(JSON.stringify(expected))}`;
  const evidence = [`Trust policy of role ${roleName}: ${JSON.stringify(trustPolicy)}`];
  if (!analysis.trustsPinpoint) {
    return finding({
      id: "role-trust-missing-pinpoint",
      severity: "high",
      problem: `The trust policy of role ${roleName} does not let ${PINPOINT_SERVICE_PRINCIPAL} assume it, so Pinpoint cannot read the staged files and every import fails.`,
      evidence,
      fix,
      method: "policy-read",
    });
  }
  if (analysis.conditionProblem?.kind === "unrestricted") {
    return finding({
      id: "role-trust-unconditioned",
      severity: "high",
      problem: `The trust policy of role ${roleName} lets Amazon Pinpoint assume it without tying it to this account and project: ${analysis.conditionProblem.detail}.`,
      evidence,
      fix,
      method: "policy-read",
    });
  }
  if (analysis.conditionProblem) {
    return finding({
      id: "role-trust-excludes-project",
      severity: "high",
      problem: `The trust policy of role ${roleName} lets Amazon Pinpoint assume it, but ${analysis.conditionProblem.detail}.`,
      evidence,
      fix,
      method: "policy-read",
    });
  }
  return `Role ${roleName} may be assumed by Amazon Pinpoint only for account ${scope.accountId} and project ${scope.projectId} (aws:SourceAccount, aws:SourceArn)`;
}

function leastPrivilegeCommand(scope: AuditScope, roleName: string, policyName = LEAST_PRIVILEGE_POLICY_NAME): string {
  const document = importerRolePolicy({ partition: scope.partition, region: scope.region, bucketName: scope.bucketName });
  return `aws iam put-role-policy --role-name ${roleName} --policy-name ${policyName} --policy-document ${shellQuoted(JSON.stringify(document))}`;
}

const ADOPT_LINE = "Or run `census-pinpoint adopt`: it creates a least-privilege importer role beside this one and leaves this one untouched until you retire it.";

function policyFix(scope: AuditScope, roleName: string, policy: PrincipalPolicy): string {
  if (policy.kind === "inline") {
    return [
      `Replace the inline policy ${policy.name} with one that reads the staging bucket only (put-role-policy overwrites it in place, so imports keep working):`,
      leastPrivilegeCommand(scope, roleName, policy.name),
      ADOPT_LINE,
    ].join("\n");
  }
  return [
    "Give the role what it needs first, then take the policy off it (in this order, so imports keep working):",
    leastPrivilegeCommand(scope, roleName),
    `aws iam detach-role-policy --role-name ${roleName} --policy-arn ${policy.arn}`,
    ADOPT_LINE,
  ].join("\n");
}

function policyFinding(scope: AuditScope, roleName: string, policy: PrincipalPolicy, grants: Grant[], simulation: Simulation): AuditFinding {
  const worst = grants[0]!;
  return finding({
    id: `role-policy-${worst.kind}`,
    severity: worst.severity,
    ...(fullAdministratorInCustomerPolicy(policy, worst) ? { control: "IAM.1" } : {}),
    problem: `${describePolicy(policy)} lets Pinpoint's role ${reachesOf(grants)}. Pinpoint needs only to read the staging bucket ${scope.bucketName}.`,
    evidence: [
      policy.arn ? `${policyLabel(policy)}: ${policy.arn}, attached to role ${roleName}` : `${policyLabel(policy)}: inline policy of role ${roleName}`,
      ...statementEvidence(grants),
      ...grants.flatMap((grant) => simulationEvidence(grant, simulation)),
    ],
    fix: policyFix(scope, roleName, policy),
    method: findingMethod(grants, simulation),
  });
}

function named(policies: PrincipalPolicy[]): NamedPolicy[] {
  return policies.map((policy) => ({ name: policyLabel(policy), document: policy.document }));
}

async function policyOutcomes(subject: AuditSubject, scope: AuditScope, role: { name: string; arn: string }): Promise<Array<AuditFinding | string>> {
  const policies = await policiesOf(subject.admin, { kind: "role", name: role.name });
  const all = named(policies);
  const context: GrantContext = { scope, grantee: { kind: "importer-role" } };
  const read = grantsBeyondNeed(all, context);
  if (read.some((grant) => grant.kind === "every-bucket")) context.bucketCount = await countBuckets(subject.admin);
  const simulation = read.length > 0 ? await simulate(subject.admin, role.arn, probesOf(read)) : ({ available: true, decisions: new Map() } as const);
  const verdicts = verdictsOf(simulation);

  const outcomes: Array<AuditFinding | string> = policies.map((policy, index) => {
    const grants = grantsBeyondNeed([all[index]!], context, { alongside: all, verdicts });
    if (grants.length > 0) return policyFinding(scope, role.name, policy, grants, simulation);
    const refuted = verdicts !== undefined && grantsBeyondNeed([all[index]!], context, { alongside: all }).length > 0;
    return refuted
      ? `${describePolicy(policy)} allows more than reading the staging bucket, but IAM's policy simulator refuses it to the role (a permissions boundary or a Deny stops it)`
      : `${describePolicy(policy)} gives Pinpoint's role nothing beyond reading the staging bucket`;
  });
  const missing = missingImporterNeeds(all, scope);
  if (missing.length > 0) {
    outcomes.push(
      finding({
        id: "role-cannot-read-staging",
        severity: "high",
        problem: `No policy of role ${role.name} lets Pinpoint call ${missing.join(" or ")}, so imports from the staging bucket fail.`,
        evidence: [policies.length === 0 ? `Role ${role.name} has no policies` : `Policies of role ${role.name}: ${policies.map(policyLabel).join(", ")}`],
        fix: `Give the role read access to the staging bucket:\n${leastPrivilegeCommand(scope, role.name)}`,
        method: "policy-read",
      }),
    );
  } else {
    outcomes.push(`Role ${role.name} may read the staging bucket ${scope.bucketName} (s3:GetObject, s3:ListBucket)`);
  }
  return outcomes;
}

export async function auditImporterRole(subject: AuditSubject, options: AuditOptions): Promise<AreaResult> {
  const result: AreaResult = { area: "importer-role", findings: [], passed: [] };
  const scoped = auditScopeOf(subject);
  if (!scoped) return { ...result, skipped: `${subject.importerRoleArn} is not the ARN of an IAM role` };
  const { scope, roleName } = scoped;
  options.onProgress({ kind: "step", message: `Reviewing the importer role ${roleName}` });

  const record = (outcome: AuditFinding | string) => (typeof outcome === "string" ? result.passed.push(outcome) : result.findings.push(outcome));
  try {
    const role = await readRole(subject.admin, roleName);
    if (!role) return { ...result, skipped: `there is no role ${roleName} in account ${scope.accountId} (check --role-arn)` };
    record(trustFinding(scope, roleName, role.trustPolicy));
    for (const outcome of await policyOutcomes(subject, scope, { name: roleName, arn: role.arn || subject.importerRoleArn })) record(outcome);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    return { ...result, skipped: error.message };
  }
  result.findings.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
  return result;
}
