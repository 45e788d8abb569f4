/**
 * What reaches the Census user in IAM beyond what its stack gave it. The stack gives the user its
 * permissions through one group with one managed policy (Security Hub IAM.2: never a policy on the user
 * itself); a policy attached by hand, an inline policy or another group widens what Census's key may
 * do, and none of them is in the stack's state, so a refresh cannot see them.
 */
import {
  IAMClient,
  paginateListAttachedGroupPolicies,
  paginateListAttachedUserPolicies,
  paginateListGroupPolicies,
  paginateListGroupsForUser,
  paginateListUserPolicies,
} from "@aws-sdk/client-iam";
import type { AwsTarget } from "./target.js";
import { iamFailureToCliError, isNoSuchEntity } from "./awsErrors.js";
import { awsClientConfig } from "./clients.js";
import { allItems } from "./pages.js";

/** What the stack's state records for the Census user: its groups and the managed policies attached to each. */
export interface RecordedAccess {
  userName: string;
  groups: Array<{ name: string; policyArns: string[] }>;
}

export type ExtraAccess =
  | { kind: "user-managed-policy"; userName: string; policyArn: string; policyName: string }
  | { kind: "user-inline-policy"; userName: string; policyName: string }
  | { kind: "user-group"; userName: string; groupName: string }
  | { kind: "group-managed-policy"; groupName: string; policyArn: string; policyName: string }
  | { kind: "group-inline-policy"; groupName: string; policyName: string };

/**
 * Every item of every page; none when the user or group does not exist (a refresh reports one of
 * the stack's that is gone).
 */
async function everyItem<Page, Item>(target: AwsTarget, operation: string, pages: AsyncIterable<Page>, items: (page: Page) => Item[] | undefined): Promise<Item[]> {
  try {
    return await allItems(pages, items);
  } catch (error) {
    if (isNoSuchEntity(error)) return [];
    throw iamFailureToCliError(error, target, operation);
  }
}

export async function extraAccessOf(target: AwsTarget, recorded: RecordedAccess): Promise<ExtraAccess[]> {
  const client = new IAMClient(awsClientConfig(target, "IAM"));
  const paging = { client };
  const { userName } = recorded;
  try {
    const [managed, inline, groups] = await Promise.all([
      everyItem(target, "ListAttachedUserPolicies", paginateListAttachedUserPolicies(paging, { UserName: userName }), (page) => page.AttachedPolicies),
      everyItem(target, "ListUserPolicies", paginateListUserPolicies(paging, { UserName: userName }), (page) => page.PolicyNames),
      everyItem(target, "ListGroupsForUser", paginateListGroupsForUser(paging, { UserName: userName }), (page) => page.Groups),
    ]);
    const recordedGroups = new Set(recorded.groups.map((group) => group.name));
    const ofUser: ExtraAccess[] = [
      ...managed.map((policy) => ({ kind: "user-managed-policy" as const, userName, policyArn: policy.PolicyArn ?? "", policyName: policy.PolicyName ?? "" })),
      ...inline.map((policyName) => ({ kind: "user-inline-policy" as const, userName, policyName })),
      ...groups.flatMap((group) => (group.GroupName && !recordedGroups.has(group.GroupName) ? [{ kind: "user-group" as const, userName, groupName: group.GroupName }] : [])),
    ];
    const ofGroups = await Promise.all(
      recorded.groups.map(async ({ name: groupName, policyArns }): Promise<ExtraAccess[]> => {
        const [attached, groupInline] = await Promise.all([
          everyItem(target, "ListAttachedGroupPolicies", paginateListAttachedGroupPolicies(paging, { GroupName: groupName }), (page) => page.AttachedPolicies),
          everyItem(target, "ListGroupPolicies", paginateListGroupPolicies(paging, { GroupName: groupName }), (page) => page.PolicyNames),
        ]);
        return [
          ...attached
            .filter((policy) => !policyArns.includes(policy.PolicyArn ?? ""))
            .map((policy) => ({ kind: "group-managed-policy" as const, groupName, policyArn: policy.PolicyArn ?? "", policyName: policy.PolicyName ?? "" })),
          ...groupInline.map((policyName) => ({ kind: "group-inline-policy" as const, groupName, policyName })),
        ];
      }),
    );
    return [...ofUser, ...ofGroups.flat()];
  } finally {
    client.destroy();
  }
}
