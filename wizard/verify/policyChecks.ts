/**
 * What the Census user may do, asked of IAM's policy simulator with the administrator's credentials:
 * the permissions only a real segment import would exercise (CreateImportJob, PassRole), and that it
 * may not do more than Census needs. The simulator covers the user's and its groups' policies.
 */
import { PINPOINT_PASSED_TO_SERVICES } from "../../infra/policies.js";
import { simulatePrincipalPolicy, type SimulatorDecision } from "../aws/policySimulator.js";
import { adminSkipReason, type AdminSession } from "./adminAccess.js";
import { probeObjectArn, type VerifyScope } from "./input.js";
import { checkOf, type VerifyCheck } from "./report.js";

interface Request {
  action: string;
  resource: string;
  passedToService?: string;
}

/** Actions outside Census's needs that a too-broad policy would allow: deleting the bucket, minting keys. */
function unrelatedRequests(scope: VerifyScope, userArn: string): Request[] {
  return [
    { action: "s3:DeleteBucket", resource: scope.bucketArn },
    { action: "iam:CreateAccessKey", resource: userArn },
  ];
}

const CHECKS = {
  importJob: checkOf("policy-import-job", "The Census user may start segment imports in the project (mobiletargeting:CreateImportJob)"),
  passRole: checkOf("policy-pass-role", "The Census user may hand the importer role to Pinpoint (iam:PassRole)"),
  putObject: checkOf("policy-put-object", "The Census user may stage files in the bucket (s3:PutObject)"),
  leastPrivilege: checkOf("policy-least-privilege", "The Census user may do nothing unrelated (checked: s3:DeleteBucket, iam:CreateAccessKey)"),
};

function skippedAll(reason: string): VerifyCheck[] {
  return Object.values(CHECKS).map((check) => check.skipped(reason));
}

function deniedFix(decision: SimulatorDecision, request: Request, userArn: string, grant: string): string {
  return decision === "explicitDeny"
    ? `An explicit Deny blocks ${request.action} on ${request.resource} for ${userArn} (in one of its policies, its groups', a permissions boundary or an SCP): remove or narrow it.`
    : grant;
}

const GRANT_HINT = "as the policy of `census-pinpoint setup` does (see docs/permissions.md; for a stack, running setup again restores it)";

export async function checkPolicies(scope: VerifyScope, session: AdminSession, userArn: string | undefined): Promise<VerifyCheck[]> {
  if (!session.ok) return skippedAll(session.reason);
  if (userArn === undefined) return skippedAll("the Census user is not known, because the key did not work");
  const importJob: Request = { action: "mobiletargeting:CreateImportJob", resource: scope.appArn };
  const passRoles: Request[] = PINPOINT_PASSED_TO_SERVICES.map((service) => ({ action: "iam:PassRole", resource: scope.input.importerRoleArn, passedToService: service }));
  const putObject: Request = { action: "s3:PutObject", resource: probeObjectArn(scope) };
  const unrelated = unrelatedRequests(scope, userArn);
  const requests = [importJob, ...passRoles, putObject, ...unrelated];

  let decisions: SimulatorDecision[];
  try {
    const asked = requests.map(({ action, resource, passedToService }) => ({
      action,
      resource,
      ...(passedToService ? { context: { "iam:PassedToService": passedToService } } : {}),
    }));
    decisions = (await simulatePrincipalPolicy(session.target, userArn, asked)).map((decision) => decision ?? "implicitDeny");
  } catch (error) {
    return skippedAll(adminSkipReason(error, session.target, "SimulatePrincipalPolicy", "iam:SimulatePrincipalPolicy"));
  }
  const decisionOf = (request: Request) => decisions[requests.indexOf(request)]!;

  const allowedOr = (verdict: ReturnType<typeof checkOf>, request: Request, grant: string) => {
    const decision = decisionOf(request);
    return decision === "allowed"
      ? verdict.passed(`allowed on ${request.resource}`)
      : verdict.failed(`${decision === "explicitDeny" ? "explicitly denied" : "denied"} on ${request.resource}`, deniedFix(decision, request, userArn, grant));
  };

  const passing = passRoles.filter((request) => decisionOf(request) === "allowed").map((request) => request.passedToService!);
  const passRoleCheck =
    passing.length === passRoles.length
      ? CHECKS.passRole.passed(`allowed on ${scope.input.importerRoleArn} with iam:PassedToService ${passing.join(" or ")}`)
      : passing.length > 0
        ? CHECKS.passRole.passed(
            `allowed only with iam:PassedToService ${passing.join(", ")}; AWS does not document which of ${PINPOINT_PASSED_TO_SERVICES.join(" and ")} it checks, so allowing both is safer`,
          )
        : CHECKS.passRole.failed(
            `denied on ${scope.input.importerRoleArn}${passRoles.some((request) => decisionOf(request) === "explicitDeny") ? " (explicitly)" : ""}`,
            `Grant it ${GRANT_HINT}:\n${JSON.stringify(
              {
                Effect: "Allow",
                Action: "iam:PassRole",
                Resource: scope.input.importerRoleArn,
                Condition: { StringEquals: { "iam:PassedToService": PINPOINT_PASSED_TO_SERVICES } },
              },
              null,
              2,
            )}`,
          );

  const tooBroad = unrelated.filter((request) => decisionOf(request) === "allowed");
  const leastPrivilegeCheck =
    tooBroad.length === 0
      ? CHECKS.leastPrivilege.passed("both denied")
      : CHECKS.leastPrivilege.failed(
          `allowed: ${tooBroad.map((request) => `${request.action} on ${request.resource}`).join(", ")}`,
          `The key can do more than Census needs, so a leak would cost more: detach broader policies (e.g. AdministratorAccess, AmazonS3FullAccess, IAMFullAccess) from ${userArn} and its groups, keeping only what docs/permissions.md lists.`,
        );

  return [
    allowedOr(CHECKS.importJob, importJob, `Grant mobiletargeting:CreateImportJob on ${scope.appArn} and ${scope.appArn}/* to ${userArn}, ${GRANT_HINT}.`),
    passRoleCheck,
    allowedOr(CHECKS.putObject, putObject, `Grant s3:PutObject on ${scope.bucketArn}/* to ${userArn}, ${GRANT_HINT}.`),
    leastPrivilegeCheck,
  ];
}
