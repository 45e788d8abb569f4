/**
 * The IAM side of `retire`: reads the legacy key and importer role of a setup made by hand, and
 * deletes them one IAM call at a time. Every read and delete treats "no such entity" as "already
 * gone", so a second run after a partial one picks up where the first stopped.
 */
import {
  DeleteAccessKeyCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetAccessKeyLastUsedCommand,
  GetRoleCommand,
  IAMClient,
  ListAccessKeysCommand,
  paginateListAttachedRolePolicies,
  paginateListInstanceProfilesForRole,
  paginateListRolePolicies,
  paginateListUserTags,
  RemoveRoleFromInstanceProfileCommand,
} from "@aws-sdk/client-iam";
import type { AwsTarget } from "./target.js";
import type { KeyLastUse } from "./accessKeys.js";
import { iamFailureToCliError, isNoSuchEntity } from "./awsErrors.js";
import { awsClientConfig } from "./clients.js";
import { allItems } from "./pages.js";

export interface LegacyKey {
  accessKeyId: string;
  userName: string;
  active: boolean;
  createdAt?: Date;
  lastUse: KeyLastUse;
  /** The user's other access keys: they stay. */
  otherKeyIds: string[];
  userTags: Record<string, string>;
}

export interface LegacyRole {
  name: string;
  arn: string;
  tags: Record<string, string>;
  /** The trust policy, parsed (IAM returns it URL-encoded). */
  trustPolicy: unknown;
  /** When a service last assumed it (IAM tracks the last 400 days). */
  lastUsedAt?: Date;
  attachedPolicies: Array<{ arn: string; name: string }>;
  inlinePolicyNames: string[];
  instanceProfileNames: string[];
}

/** One IAM call that removes something; the order IAM needs them in is legacyPieces.ts's business. */
export type IamDeletion =
  | { action: "DeleteAccessKey"; userName: string; accessKeyId: string }
  | { action: "RemoveRoleFromInstanceProfile"; roleName: string; instanceProfileName: string }
  | { action: "DeleteRolePolicy"; roleName: string; policyName: string }
  | { action: "DetachRolePolicy"; roleName: string; policyArn: string }
  | { action: "DeleteRole"; roleName: string };

/** A call on one client; the operation names the permission in an AccessDenied message. */
async function withIam<T>(target: AwsTarget, run: (iam: IAMClient, step: (operation: string) => void) => Promise<T>): Promise<T> {
  const iam = new IAMClient(awsClientConfig(target, "IAM"));
  let operation = "";
  try {
    return await run(iam, (next) => (operation = next));
  } catch (error) {
    throw iamFailureToCliError(error, target, operation);
  } finally {
    iam.destroy();
  }
}

function tagMap(tags: ReadonlyArray<{ Key?: string; Value?: string }> | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).flatMap((tag) => (tag.Key === undefined ? [] : [[tag.Key, tag.Value ?? ""]])));
}

/** The key, its user and when it was last used; undefined when IAM has no such key in this account. */
export function readLegacyKey(target: AwsTarget, accessKeyId: string): Promise<LegacyKey | undefined> {
  return withIam(target, async (iam, step) => {
    step("GetAccessKeyLastUsed");
    let userName: string | undefined;
    let lastUsed: { LastUsedDate?: Date; ServiceName?: string; Region?: string } | undefined;
    try {
      // Names the key's user from the key alone, which is all a setup made by hand may tell.
      const answer = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }));
      userName = answer.UserName;
      lastUsed = answer.AccessKeyLastUsed;
    } catch (error) {
      if (isNoSuchEntity(error)) return undefined;
      throw error;
    }
    if (!userName) return undefined;
    step("ListAccessKeys");
    const { AccessKeyMetadata = [] } = await iam.send(new ListAccessKeysCommand({ UserName: userName }));
    const key = AccessKeyMetadata.find((entry) => entry.AccessKeyId === accessKeyId);
    // The last-use record can outlive the key.
    if (!key) return undefined;
    step("ListUserTags");
    const tags = await allItems(paginateListUserTags({ client: iam }, { UserName: userName }), (page) => page.Tags);
    return {
      accessKeyId,
      userName,
      active: key.Status === "Active",
      createdAt: key.CreateDate,
      // IAM reports "N/A" for the service and region of a key that was never used, and no date.
      lastUse: lastUsed?.LastUsedDate ? { at: lastUsed.LastUsedDate, service: lastUsed.ServiceName, region: lastUsed.Region } : {},
      otherKeyIds: AccessKeyMetadata.flatMap((entry) => (entry.AccessKeyId && entry.AccessKeyId !== accessKeyId ? [entry.AccessKeyId] : [])),
      userTags: tagMap(tags),
    };
  });
}

/** The role with everything that must go before IAM lets it be deleted; undefined when there is no such role. */
export function readLegacyRole(target: AwsTarget, roleName: string): Promise<LegacyRole | undefined> {
  return withIam(target, async (iam, step) => {
    step("GetRole");
    const role = await iam.send(new GetRoleCommand({ RoleName: roleName })).then(
      (answer) => answer.Role,
      (error: unknown) => {
        if (isNoSuchEntity(error)) return undefined;
        throw error;
      },
    );
    if (!role) return undefined;
    const paging = { client: iam };
    step("ListAttachedRolePolicies");
    const attached = await allItems(paginateListAttachedRolePolicies(paging, { RoleName: roleName }), (page) => page.AttachedPolicies);
    step("ListRolePolicies");
    const inline = await allItems(paginateListRolePolicies(paging, { RoleName: roleName }), (page) => page.PolicyNames);
    step("ListInstanceProfilesForRole");
    const profiles = await allItems(paginateListInstanceProfilesForRole(paging, { RoleName: roleName }), (page) => page.InstanceProfiles);
    const document = role.AssumeRolePolicyDocument;
    return {
      name: roleName,
      arn: role.Arn ?? "",
      tags: tagMap(role.Tags),
      trustPolicy: document ? parseJson(decodeURIComponent(document)) : undefined,
      lastUsedAt: role.RoleLastUsed?.LastUsedDate,
      attachedPolicies: attached.flatMap((policy) => (policy.PolicyArn ? [{ arn: policy.PolicyArn, name: policy.PolicyName ?? policy.PolicyArn }] : [])),
      inlinePolicyNames: inline,
      instanceProfileNames: profiles.flatMap((profile) => (profile.InstanceProfileName ? [profile.InstanceProfileName] : [])),
    };
  });
}

/** An unreadable trust policy reads as one that trusts nobody, so the role is not taken for an importer role. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function commandFor(deletion: IamDeletion) {
  switch (deletion.action) {
    case "DeleteAccessKey":
      return new DeleteAccessKeyCommand({ UserName: deletion.userName, AccessKeyId: deletion.accessKeyId });
    case "RemoveRoleFromInstanceProfile":
      return new RemoveRoleFromInstanceProfileCommand({ RoleName: deletion.roleName, InstanceProfileName: deletion.instanceProfileName });
    case "DeleteRolePolicy":
      return new DeleteRolePolicyCommand({ RoleName: deletion.roleName, PolicyName: deletion.policyName });
    case "DetachRolePolicy":
      return new DetachRolePolicyCommand({ RoleName: deletion.roleName, PolicyArn: deletion.policyArn });
    case "DeleteRole":
      return new DeleteRoleCommand({ RoleName: deletion.roleName });
  }
}

/** "already-gone" when IAM no longer has what the call would remove (a second run, or someone else was faster). */
export function applyDeletion(target: AwsTarget, deletion: IamDeletion): Promise<"deleted" | "already-gone"> {
  return withIam(target, async (iam, step) => {
    step(deletion.action);
    try {
      // One union of commands that the SDK's overloads cannot take at once; each is an IAM command.
      await iam.send(commandFor(deletion) as DeleteRoleCommand);
      return "deleted";
    } catch (error) {
      if (isNoSuchEntity(error)) return "already-gone";
      throw error;
    }
  });
}
