/**
 * The importer role, read with the administrator's credentials: it exists under the ARN Census gets,
 * Amazon Pinpoint may assume it, and only for this account and project.
 */
import { PINPOINT_SERVICE_PRINCIPAL } from "../../infra/policies.js";
import { importerTrustPolicy } from "../../infra/trustPolicy.js";
import { readRole } from "../aws/iamPrincipals.js";
import { adminSkipReason, type AdminSession } from "./adminAccess.js";
import { keyProfileOf, type VerifyScope } from "./input.js";
import { checkOf, type VerifyCheck } from "./report.js";
import { analyzeTrustPolicy } from "./trustConditions.js";

function labels(scope: VerifyScope) {
  return {
    trust: checkOf("role-trust", `The importer role ${scope.roleName} exists and Amazon Pinpoint may assume it`),
    conditions: checkOf("role-conditions", "Pinpoint may assume the importer role only for this account and project (aws:SourceAccount, aws:SourceArn)"),
  };
}

function expectedTrust(scope: VerifyScope) {
  return importerTrustPolicy({ partition: scope.partition, region: scope.input.region, accountId: scope.accountId, projectId: scope.input.projectId });
}

export async function checkImporterRole(scope: VerifyScope, session: AdminSession): Promise<VerifyCheck[]> {
  const check = labels(scope);
  if (!session.ok) return [check.trust.skipped(session.reason), check.conditions.skipped(session.reason)];
  let role: Awaited<ReturnType<typeof readRole>>;
  try {
    role = await readRole(session.target, scope.roleName);
  } catch (error) {
    const reason = adminSkipReason(error, session.target, "GetRole", "iam:GetRole");
    return [check.trust.skipped(reason), check.conditions.skipped(reason)];
  }
  if (role === undefined) {
    return [
      check.trust.failed(
        `There is no role ${scope.roleName} in account ${scope.accountId}`,
        keyProfileOf(scope) === undefined
          ? `Run \`census-pinpoint setup --region ${scope.input.region} --project-id ${scope.input.projectId}\` again: it recreates the role (then check that Census has its ARN).`
          : "Check the ARN passed with --role-arn (IAM → Roles → the role → ARN), or create the role (`census-pinpoint setup` does).",
      ),
      check.conditions.skipped("there is no role"),
    ];
  }

  const expected = expectedTrust(scope);
  const statement = expected.Statement[0]!;
  const { arn, trustPolicy } = role;
  if (arn !== "" && arn !== scope.input.importerRoleArn) {
    return [
      check.trust.failed(`The role's ARN is ${arn}, not ${scope.input.importerRoleArn}`, `Give Census the role's exact ARN, ${arn} (its path is part of it).`),
      check.conditions.skipped("the ARN given is not the role's"),
    ];
  }
  const findings = analyzeTrustPolicy(trustPolicy, { accountId: scope.accountId, appArn: scope.appArn });
  if (!findings.trustsPinpoint) {
    return [
      check.trust.failed(
        `Its trust policy does not let ${PINPOINT_SERVICE_PRINCIPAL} call sts:AssumeRole, so Pinpoint cannot read the staged files`,
        `Add this statement to the role's trust policy (IAM → Roles → ${scope.roleName} → Trust relationships):\n${JSON.stringify(statement, null, 2)}`,
      ),
      check.conditions.skipped("Pinpoint is not trusted at all"),
    ];
  }
  const trusted = check.trust.passed(arn || undefined);
  if (findings.conditionProblem) {
    return [
      trusted,
      check.conditions.failed(
        findings.conditionProblem.detail,
        `Give the statement trusting ${PINPOINT_SERVICE_PRINCIPAL} exactly these conditions:\n${JSON.stringify({ Condition: statement.Condition }, null, 2)}`,
      ),
    ];
  }
  const admitted = findings.admitted!;
  return [trusted, check.conditions.passed(`aws:SourceAccount ${admitted.sourceAccounts.join(", ")}; aws:SourceArn ${admitted.sourceArns.join(", ")}`)];
}
