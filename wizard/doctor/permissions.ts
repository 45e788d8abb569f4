/**
 * Whether the administrator's credentials may run setup, rotate-key and teardown: IAM's policy
 * simulator (SimulatePrincipalPolicy, read-only) asked about the list in infra/adminPermissions.ts
 * (docs/permissions.md), on the names a stack of the project would use. Where IAM refuses the
 * simulation, or the identity is not one it can simulate, the checks say "could not check".
 */
import { GetRoleCommand, IAMClient, SimulatePrincipalPolicyCommand } from "@aws-sdk/client-iam";
import { ADMIN_COMMANDS, ADMIN_PERMISSIONS, adminResourceArn, type AdminCommand, type AdminScope } from "../../infra/adminPermissions.js";
import { awsClientConfig } from "../aws/clients.js";
import type { CallerIdentity } from "../aws/identity.js";
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

type Decision = "allowed" | "explicitDeny" | "implicitDeny";

/** Decisions keyed `<action> <resource>`, one simulator call per resource (the actions of each in one request). */
async function simulateAll(client: IAMClient, principalArn: string, scope: AdminScope): Promise<Map<string, Decision>> {
  const byResource = new Map<string, Set<string>>();
  for (const command of ADMIN_COMMANDS) {
    for (const { action, resource } of ADMIN_PERMISSIONS[command]) {
      const arn = adminResourceArn(resource, scope);
      byResource.set(arn, (byResource.get(arn) ?? new Set()).add(action));
    }
  }
  const decisions = new Map<string, Decision>();
  await Promise.all(
    [...byResource].map(async ([resourceArn, actions]) => {
      let marker: string | undefined;
      do {
        const answer = await client.send(
          new SimulatePrincipalPolicyCommand({ PolicySourceArn: principalArn, ActionNames: [...actions], ResourceArns: [resourceArn], Marker: marker }),
        );
        for (const result of answer.EvaluationResults ?? []) {
          const decision = result.EvalDecision === "allowed" || result.EvalDecision === "explicitDeny" ? result.EvalDecision : "implicitDeny";
          if (result.EvalActionName) decisions.set(`${result.EvalActionName} ${resourceArn}`, decision);
        }
        marker = answer.IsTruncated ? answer.Marker : undefined;
      } while (marker);
    }),
  );
  return decisions;
}

function listed(items: readonly string[], limit = 4): string {
  return items.length <= limit ? items.join(", ") : `${items.slice(0, limit).join(", ")} and ${items.length - limit} more`;
}

/** The verdict for one command from the simulator's decisions: pure, so its wording is tested alone. */
export function permissionVerdict(command: AdminCommand, decisions: ReadonlyMap<string, Decision>, scope: AdminScope, principalArn: string): DoctorCheck {
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
  env: NodeJS.ProcessEnv,
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
  const client = new IAMClient(awsClientConfig(target, "IAM", env));
  try {
    let principalArn = principal.kind === "arn" ? principal.arn : principal.fallbackArn;
    if (principal.kind === "role") {
      // The session's ARN drops the role's path (IAM Identity Center roles have one), which the simulator needs.
      principalArn = (await client.send(new GetRoleCommand({ RoleName: principal.name })).catch(() => undefined))?.Role?.Arn ?? principalArn;
    }
    let decisions: Map<string, Decision>;
    try {
      decisions = await simulateAll(client, principalArn, full);
    } catch (error) {
      const reason = adminSkipReason(error, target, "SimulatePrincipalPolicy", "iam:SimulatePrincipalPolicy");
      return allOf((check) => check.unchecked(`could not check: ${reason}`, UNCHECKED_FIX));
    }
    return ADMIN_COMMANDS.map((command) => permissionVerdict(command, decisions, full, principalArn));
  } finally {
    client.destroy();
  }
}
