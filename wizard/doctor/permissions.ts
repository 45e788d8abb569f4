/**
 * Whether the administrator's credentials may run setup, rotate-key and teardown: IAM's policy
 * simulator (SimulatePrincipalPolicy, read-only) asked about the list in infra/adminPermissions.ts
 * (docs/permissions.md), on the names a stack of the project would use. Where IAM refuses the
 * simulation, or the identity is not one it can simulate, the checks say "could not check".
 */
import { ADMIN_COMMANDS, ADMIN_PERMISSIONS, adminResourceArn, type AdminCommand, type AdminScope } from "../../infra/adminPermissions.js";
import { readRole } from "../aws/iamPrincipals.js";
import type { CallerIdentity } from "../aws/identity.js";
import { simulatePrincipalPolicy, type SimulatorDecision } from "../aws/policySimulator.js";
import type { AwsTarget } from "../aws/target.js";
import { adminSkipReason } from "../verify/adminAccess.js";
import { checkOf, type DoctorCheck, type DoctorCheckId } from "./report.js";

const CHECKS: Record<AdminCommand, ReturnType<typeof checkOf>> = {
  setup: checkOf("permissions-setup", "Permissions for setup"),
  "rotate-key": checkOf("permissions-rotate-key", "Permissions for rotate-key"),
  teardown: checkOf("permissions-teardown", "Permissions for teardown"),
};

export const PERMISSION_CHECK_IDS: readonly DoctorCheckId[] = ["permissions-setup", "permissions-rotate-key", "permissions-teardown"];

const GRANT_FIX = "Ask an AWS administrator to grant them (docs/permissions.md lists each command's), or use credentials that have them (--profile).";
const UNCHECKED_FIX = "Compare your permissions with docs/permissions.md, or ask for iam:SimulatePrincipalPolicy so doctor can check them.";

export type Principal = { kind: "arn"; arn: string } | { kind: "role"; name: string; fallbackArn: string } | { kind: "root" } | { kind: "unsupported"; what: string };

/**
 * What the simulator can be asked about for a caller: a user as is, the role behind an assumed-role
 * session (its ARN with its path comes from GetRole), not the root user nor a federated user.
 */
export function principalOf(arn: string): Principal {
  const match = /^arn:([\w-]+):(iam|sts)::(\d{12}):(.+)$/.exec(arn);
  if (!match) return { kind: "unsupported", what: arn };
  const [, partition, service, account, resource] = match as unknown as [string, string, string, string, string];
  if (service === "iam" && resource === "root") return { kind: "root" };
  if (service === "iam" && resource.startsWith("user/")) return { kind: "arn", arn };
  if (service === "iam" && resource.startsWith("role/")) return { kind: "arn", arn };
  // moto answers GetCallerIdentity for a key of no IAM user with an sts "user" ARN.
  if (service === "sts" && resource.startsWith("user/")) return { kind: "arn", arn: `arn:${partition}:iam::${account}:${resource}` };
  const role = /^assumed-role\/([^/]+)\//.exec(resource)?.[1];
  if (service === "sts" && role) return { kind: "role", name: role, fallbackArn: `arn:${partition}:iam::${account}:role/${role}` };
  return { kind: "unsupported", what: `${resource.split("/")[0]} ${arn}` };
}

/** Decisions keyed `<action> <resource>`, for every permission of every command. */
async function simulateAll(target: AwsTarget, principalArn: string, scope: AdminScope): Promise<Map<string, SimulatorDecision>> {
  const requests = new Map<string, { action: string; resource: string }>();
  for (const command of ADMIN_COMMANDS) {
    for (const { action, resource } of ADMIN_PERMISSIONS[command]) {
      const arn = adminResourceArn(resource, scope);
      requests.set(`${action} ${arn}`, { action, resource: arn });
    }
  }
  const asked = [...requests.values()];
  const decisions = await simulatePrincipalPolicy(target, principalArn, asked);
  return new Map(asked.flatMap(({ action, resource }, index) => (decisions[index] === undefined ? [] : [[`${action} ${resource}`, decisions[index]!] as const])));
}

function listed(items: readonly string[], limit = 4): string {
  return items.length <= limit ? items.join(", ") : `${items.slice(0, limit).join(", ")} and ${items.length - limit} more`;
}

/** The verdict for one command from the simulator's decisions: pure, so its wording is tested alone. */
export function permissionVerdict(command: AdminCommand, decisions: ReadonlyMap<string, SimulatorDecision>, scope: AdminScope, principalArn: string): DoctorCheck {
  const check = CHECKS[command];
  const denied: string[] = [];
  let explicit = false;
  for (const { action, resource } of ADMIN_PERMISSIONS[command]) {
    const decision = decisions.get(`${action} ${adminResourceArn(resource, scope)}`) ?? "implicitDeny";
    if (decision === "allowed" || denied.includes(action)) continue;
    denied.push(action);
    explicit ||= decision === "explicitDeny";
  }
  const total = new Set(ADMIN_PERMISSIONS[command].map(({ action }) => action)).size;
  const on = `names of project ${scope.projectId} in ${scope.region}`;
  if (denied.length === 0) return check.ok(`all ${total} allowed for ${principalArn} (on the ${on})`);
  return check.fail(
    `${denied.length} of ${total} denied for ${principalArn}${explicit ? " (some explicitly)" : ""}: ${listed(denied)} (on the ${on})`,
    explicit ? `An explicit Deny (a policy, permissions boundary or SCP) blocks some of them: remove or narrow it. ${GRANT_FIX}` : GRANT_FIX,
  );
}

function allOf(make: (check: ReturnType<typeof checkOf>) => DoctorCheck): DoctorCheck[] {
  return ADMIN_COMMANDS.map((command) => make(CHECKS[command]));
}

export async function checkAdminPermissions(
  target: AwsTarget,
  identity: CallerIdentity | undefined,
  scope: Omit<AdminScope, "accountId"> | undefined,
): Promise<DoctorCheck[]> {
  if (identity === undefined) return allOf((check) => check.unchecked("could not check: no AWS identity (above)", "Fix the AWS credentials first."));
  if (scope === undefined) return allOf((check) => check.unchecked("could not check: no Pinpoint region to check in (above)", "Pass --region <region>."));
  const principal = principalOf(identity.arn);
  if (principal.kind === "root") {
    return allOf((check) => check.warn("the account's root user: allowed everything", "AWS advises against using the root user day to day: use an IAM user or role (IAM Identity Center) with the permissions in docs/permissions.md."));
  }
  if (principal.kind === "unsupported") {
    return allOf((check) => check.unchecked(`could not check: IAM's policy simulator cannot simulate a ${principal.what}`, UNCHECKED_FIX));
  }
  const full = { ...scope, accountId: identity.accountId };
  let principalArn = principal.kind === "arn" ? principal.arn : principal.fallbackArn;
  if (principal.kind === "role") {
    // The session's ARN drops the role's path (IAM Identity Center roles have one), which the simulator needs.
    principalArn = (await readRole(target, principal.name).catch(() => undefined))?.arn || principalArn;
  }
  let decisions: Map<string, SimulatorDecision>;
  try {
    decisions = await simulateAll(target, principalArn, full);
  } catch (error) {
    const reason = adminSkipReason(error, target, "SimulatePrincipalPolicy", "iam:SimulatePrincipalPolicy");
    return allOf((check) => check.unchecked(`could not check: ${reason}`, UNCHECKED_FIX));
  }
  return ADMIN_COMMANDS.map((command) => permissionVerdict(command, decisions, full, principalArn));
}
