/**
 * After a teardown: is anything the stack created still in AWS? Exactly what the stack's state
 * recorded before the destroy is looked up, by the ID or ARN recorded (never a name worked out from
 * defaults, which another stack or a person may hold), and whatever is still there is reported with
 * the AWS CLI commands that remove it, in an order that works (IAM deletes nothing that is still
 * attached or has members). A lookup that cannot run (AccessDenied, no network) is reported as
 * unchecked: a check that did not happen must never read as "gone".
 */
import {
  GetGroupCommand,
  GetPolicyCommand,
  GetRoleCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListGroupPoliciesCommand,
  ListGroupsForUserCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
} from "@aws-sdk/client-iam";
import { AwsCredentialsError, CliError } from "../errors.js";
import type { AwsTarget } from "./target.js";
import { iamFailureToCliError, isNoSuchEntity } from "./awsErrors.js";
import { bucketAvailability } from "./bucket.js";
import { awsClientConfig } from "./clients.js";

/** What the stack's state recorded, by the IDs the AWS provider gave them: names, and ARNs for policies. */
export interface RecordedResources {
  buckets: string[];
  users: string[];
  groups: string[];
  roles: string[];
  policyArns: string[];
}

export type ResourceKind = "S3 bucket" | "IAM user" | "IAM group" | "IAM policy" | "IAM role";

export interface LeftoverCheck {
  kind: ResourceKind;
  name: string;
  status: "gone" | "left" | "unchecked";
  /** For "left": the AWS CLI commands that remove it, in the order to run them. */
  commands?: string[];
  /** For "unchecked": why it could not be checked. For "left": what could not be listed, if anything. */
  reason?: string;
}

interface Probe {
  /** Throws a CliError when AWS does not say. */
  exists(): Promise<boolean>;
  /** The commands that must run before `removal` (detaching, emptying). */
  before(): Promise<string[]>;
  removal: string;
}

function reasonOf(error: unknown): string {
  if (error instanceof CliError) return error.message;
  throw error;
}

async function check(kind: ResourceKind, name: string, probe: Probe): Promise<LeftoverCheck> {
  let exists: boolean;
  try {
    exists = await probe.exists();
  } catch (error) {
    return { kind, name, status: "unchecked", reason: reasonOf(error) };
  }
  if (!exists) return { kind, name, status: "gone" };
  try {
    return { kind, name, status: "left", commands: [...(await probe.before()), probe.removal] };
  } catch (error) {
    return { kind, name, status: "left", commands: [probe.removal], reason: `could not list what has to be removed first: ${reasonOf(error)}` };
  }
}

/** Users, groups and roles reported as left: their own commands already detach their policies and memberships. */
interface Covered {
  users: ReadonlySet<string>;
  groups: ReadonlySet<string>;
  roles: ReadonlySet<string>;
}

/**
 * The IAM checks share one client and run in order: a user, group or role that is left detaches its
 * own policies and memberships, so the checks after it leave those out instead of repeating them.
 */
function iamChecks(target: AwsTarget, cli: (...args: string[]) => string) {
  const iam = new IAMClient(awsClientConfig(target, "IAM"));
  // Our resources hold a handful of keys, groups and policies each: far below one page of any listing.
  const call = async <T>(operation: string, send: () => Promise<T>): Promise<T> => {
    try {
      return await send();
    } catch (error) {
      throw iamFailureToCliError(error, target, operation);
    }
  };
  /** False when IAM has no such entity. */
  const lookup = (operation: string, send: () => Promise<unknown>): Promise<boolean> =>
    call(operation, () =>
      send().then(
        () => true,
        (error: unknown) => {
          if (isNoSuchEntity(error)) return false;
          throw error;
        },
      ),
    );

  const user = (UserName: string): Probe => ({
    exists: () => lookup("GetUser", () => iam.send(new GetUserCommand({ UserName }))),
    async before() {
      const [keys, groups, attached, inline] = await Promise.all([
        call("ListAccessKeys", () => iam.send(new ListAccessKeysCommand({ UserName }))),
        call("ListGroupsForUser", () => iam.send(new ListGroupsForUserCommand({ UserName }))),
        call("ListAttachedUserPolicies", () => iam.send(new ListAttachedUserPoliciesCommand({ UserName }))),
        call("ListUserPolicies", () => iam.send(new ListUserPoliciesCommand({ UserName }))),
      ]);
      // The user was made without a console password, MFA device or certificates: should one have been
      // added by hand, `delete-user` says so.
      return [
        ...(keys.AccessKeyMetadata ?? []).map((key) => cli("iam", "delete-access-key", "--user-name", UserName, "--access-key-id", key.AccessKeyId!)),
        ...(groups.Groups ?? []).map((group) => cli("iam", "remove-user-from-group", "--user-name", UserName, "--group-name", group.GroupName!)),
        ...(attached.AttachedPolicies ?? []).map((policy) => cli("iam", "detach-user-policy", "--user-name", UserName, "--policy-arn", policy.PolicyArn!)),
        ...(inline.PolicyNames ?? []).map((policy) => cli("iam", "delete-user-policy", "--user-name", UserName, "--policy-name", policy)),
      ];
    },
    removal: cli("iam", "delete-user", "--user-name", UserName),
  });

  const group = (GroupName: string, covered: Covered): Probe => ({
    exists: () => lookup("GetGroup", () => iam.send(new GetGroupCommand({ GroupName }))),
    async before() {
      const [members, attached, inline] = await Promise.all([
        call("GetGroup", () => iam.send(new GetGroupCommand({ GroupName }))),
        call("ListAttachedGroupPolicies", () => iam.send(new ListAttachedGroupPoliciesCommand({ GroupName }))),
        call("ListGroupPolicies", () => iam.send(new ListGroupPoliciesCommand({ GroupName }))),
      ]);
      return [
        ...(members.Users ?? [])
          .filter((member) => !covered.users.has(member.UserName!))
          .map((member) => cli("iam", "remove-user-from-group", "--user-name", member.UserName!, "--group-name", GroupName)),
        ...(attached.AttachedPolicies ?? []).map((policy) => cli("iam", "detach-group-policy", "--group-name", GroupName, "--policy-arn", policy.PolicyArn!)),
        ...(inline.PolicyNames ?? []).map((policy) => cli("iam", "delete-group-policy", "--group-name", GroupName, "--policy-name", policy)),
      ];
    },
    removal: cli("iam", "delete-group", "--group-name", GroupName),
  });

  const role = (RoleName: string): Probe => ({
    exists: () => lookup("GetRole", () => iam.send(new GetRoleCommand({ RoleName }))),
    async before() {
      const [attached, inline] = await Promise.all([
        call("ListAttachedRolePolicies", () => iam.send(new ListAttachedRolePoliciesCommand({ RoleName }))),
        call("ListRolePolicies", () => iam.send(new ListRolePoliciesCommand({ RoleName }))),
      ]);
      return [
        ...(attached.AttachedPolicies ?? []).map((policy) => cli("iam", "detach-role-policy", "--role-name", RoleName, "--policy-arn", policy.PolicyArn!)),
        ...(inline.PolicyNames ?? []).map((policy) => cli("iam", "delete-role-policy", "--role-name", RoleName, "--policy-name", policy)),
      ];
    },
    removal: cli("iam", "delete-role", "--role-name", RoleName),
  });

  /** A managed policy: IAM deletes one only once it is attached nowhere and has no versions but its default. */
  const policy = (PolicyArn: string, covered: Covered): Probe => ({
    exists: () => lookup("GetPolicy", () => iam.send(new GetPolicyCommand({ PolicyArn }))),
    async before() {
      const [entities, versions] = await Promise.all([
        call("ListEntitiesForPolicy", () => iam.send(new ListEntitiesForPolicyCommand({ PolicyArn }))),
        call("ListPolicyVersions", () => iam.send(new ListPolicyVersionsCommand({ PolicyArn }))),
      ]);
      return [
        ...(entities.PolicyUsers ?? [])
          .filter(({ UserName }) => !covered.users.has(UserName!))
          .map(({ UserName }) => cli("iam", "detach-user-policy", "--user-name", UserName!, "--policy-arn", PolicyArn)),
        ...(entities.PolicyGroups ?? [])
          .filter(({ GroupName }) => !covered.groups.has(GroupName!))
          .map(({ GroupName }) => cli("iam", "detach-group-policy", "--group-name", GroupName!, "--policy-arn", PolicyArn)),
        ...(entities.PolicyRoles ?? [])
          .filter(({ RoleName }) => !covered.roles.has(RoleName!))
          .map(({ RoleName }) => cli("iam", "detach-role-policy", "--role-name", RoleName!, "--policy-arn", PolicyArn)),
        ...(versions.Versions ?? [])
          .filter((version) => !version.IsDefaultVersion)
          .map((version) => cli("iam", "delete-policy-version", "--policy-arn", PolicyArn, "--version-id", version.VersionId!)),
      ];
    },
    removal: cli("iam", "delete-policy", "--policy-arn", PolicyArn),
  });

  return { user, group, role, policy, close: () => iam.destroy() };
}

function bucketProbe(target: AwsTarget, bucketName: string, cli: (...args: string[]) => string): Probe {
  let region = target.region;
  return {
    async exists() {
      const answer = await bucketAvailability(target, bucketName);
      if (answer.status === "taken") {
        // S3 answers 403 both for a bucket these credentials may not read and for another account's.
        throw new AwsCredentialsError(`S3 refused to say whether bucket ${bucketName} exists (HTTP 403): these credentials may not read it, or another account owns the name now`);
      }
      if (answer.status === "yours" && answer.region) region = answer.region;
      return answer.status === "yours";
    },
    before: async () => [],
    get removal() {
      return cli("s3", "rb", `s3://${bucketName}`, "--force", "--region", region);
    },
  };
}

/**
 * Every recorded resource, in the order the removal commands should run: buckets, users, groups,
 * roles, then the policies (detached by then from whatever of the above is left).
 */
export async function findLeftovers(target: AwsTarget, recorded: RecordedResources): Promise<LeftoverCheck[]> {
  const cli = (...args: string[]) => ["aws", ...args, ...(target.profile ? ["--profile", target.profile] : [])].join(" ");
  const iam = iamChecks(target, cli);
  const leftNames = (checks: LeftoverCheck[]) => new Set(checks.filter((check) => check.status === "left").map((check) => check.name));
  const inTurn = async <T>(items: readonly T[], check: (item: T) => Promise<LeftoverCheck>) => {
    const results: LeftoverCheck[] = [];
    for (const item of items) results.push(await check(item));
    return results;
  };
  try {
    const [buckets, identities] = await Promise.all([
      Promise.all(recorded.buckets.map((bucket) => check("S3 bucket", bucket, bucketProbe(target, bucket, cli)))),
      (async () => {
        const users = await inTurn(recorded.users, (user) => check("IAM user", user, iam.user(user)));
        const afterUsers: Covered = { users: leftNames(users), groups: new Set(), roles: new Set() };
        const groups = await inTurn(recorded.groups, (group) => check("IAM group", group, iam.group(group, afterUsers)));
        const roles = await inTurn(recorded.roles, (role) => check("IAM role", role, iam.role(role)));
        const covered: Covered = { ...afterUsers, groups: leftNames(groups), roles: leftNames(roles) };
        const policies = await Promise.all(recorded.policyArns.map((arn) => check("IAM policy", arn, iam.policy(arn, covered))));
        return [...users, ...groups, ...roles, ...policies];
      })(),
    ]);
    return [...buckets, ...identities];
  } finally {
    iam.close();
  }
}
