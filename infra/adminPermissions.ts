/**
 * What the administrator's own credentials (not the Census key) must be allowed for `setup`,
 * `rotate-key` and `teardown`: the AWS calls the wizard makes and the Pulumi AWS provider makes on its
 * behalf. docs/permissions.md lists them from here, and `census-pinpoint doctor` asks IAM's policy
 * simulator about exactly these, on the names a stack of the given project would use.
 */
import { censusGroupName, censusPolicyName, defaultBucketName, defaultCensusUserName, defaultImporterRoleName, importerPolicyName } from "./names.js";
import { partitionOf, type PinpointRegion } from "./regions.js";

export type AdminCommand = "setup" | "rotate-key" | "teardown";

export const ADMIN_COMMANDS: readonly AdminCommand[] = ["setup", "rotate-key", "teardown"];

/** What an action is asked about: the stack's own names, or `*` where IAM knows no narrower resource. */
export type AdminResource = "any" | "bucket" | "objects" | "role" | "rolePolicy" | "user" | "group" | "groupPolicy" | "pinpointApps" | "pinpointApp";

export interface AdminPermission {
  action: string;
  resource: AdminResource;
}

const each = (resource: AdminResource, ...actions: string[]): AdminPermission[] => actions.map((action) => ({ action, resource }));

/** Reading what is there: every command first refreshes the stack (the provider reads each resource). */
const READ: AdminPermission[] = [
  ...each("any", "sts:GetCallerIdentity"),
  ...each(
    "bucket",
    "s3:ListBucket",
    "s3:GetBucketLocation",
    "s3:GetBucketTagging",
    "s3:GetBucketPolicy",
    "s3:GetBucketPublicAccessBlock",
    "s3:GetBucketOwnershipControls",
    "s3:GetEncryptionConfiguration",
    "s3:GetLifecycleConfiguration",
    "s3:GetBucketAcl",
    "s3:GetBucketVersioning",
  ),
  ...each("role", "iam:GetRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListRoleTags"),
  ...each("rolePolicy", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions", "iam:ListPolicyTags"),
  ...each("groupPolicy", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions", "iam:ListPolicyTags"),
  ...each("user", "iam:GetUser", "iam:ListUserTags", "iam:ListGroupsForUser", "iam:ListAccessKeys", "iam:GetAccessKeyLastUsed"),
  ...each("group", "iam:GetGroup", "iam:ListAttachedGroupPolicies"),
];

export const ADMIN_PERMISSIONS: Record<AdminCommand, readonly AdminPermission[]> = {
  setup: [
    ...READ,
    ...each("pinpointApps", "mobiletargeting:GetApps"),
    ...each("pinpointApp", "mobiletargeting:GetApp"),
    ...each(
      "bucket",
      "s3:CreateBucket",
      "s3:PutBucketTagging",
      "s3:PutBucketPolicy",
      "s3:PutBucketPublicAccessBlock",
      "s3:PutBucketOwnershipControls",
      "s3:PutEncryptionConfiguration",
      "s3:PutLifecycleConfiguration",
    ),
    ...each("role", "iam:CreateRole", "iam:TagRole", "iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy"),
    ...each("rolePolicy", "iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:TagPolicy"),
    ...each("groupPolicy", "iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:TagPolicy"),
    ...each("user", "iam:CreateUser", "iam:TagUser", "iam:CreateAccessKey", "iam:SimulatePrincipalPolicy"),
    ...each("group", "iam:CreateGroup", "iam:AddUserToGroup", "iam:AttachGroupPolicy"),
  ],
  "rotate-key": [...READ, ...each("user", "iam:CreateAccessKey", "iam:DeleteAccessKey")],
  teardown: [
    ...READ,
    ...each("bucket", "s3:DeleteBucket", "s3:DeleteBucketPolicy", "s3:ListBucketVersions", "s3:PutBucketPublicAccessBlock", "s3:PutLifecycleConfiguration"),
    ...each("objects", "s3:DeleteObject", "s3:DeleteObjectVersion"),
    ...each("role", "iam:DetachRolePolicy", "iam:DeleteRole"),
    ...each("rolePolicy", "iam:DeletePolicy", "iam:DeletePolicyVersion"),
    ...each("groupPolicy", "iam:DeletePolicy", "iam:DeletePolicyVersion"),
    ...each("user", "iam:DeleteAccessKey", "iam:DeleteUser"),
    ...each("group", "iam:RemoveUserFromGroup", "iam:DetachGroupPolicy", "iam:DeleteGroup"),
  ],
};

export interface AdminScope {
  accountId: string;
  region: PinpointRegion;
  projectId: string;
}

/** The ARN an action is asked about, for a stack of `projectId` with the default names. */
export function adminResourceArn(resource: AdminResource, scope: AdminScope): string {
  const partition = partitionOf(scope.region);
  const iam = (path: string) => `arn:${partition}:iam::${scope.accountId}:${path}`;
  const role = defaultImporterRoleName(scope.projectId);
  const user = defaultCensusUserName(scope.projectId);
  const bucket = defaultBucketName(scope.accountId, scope.region, scope.projectId);
  switch (resource) {
    case "any":
      return "*";
    case "bucket":
      return `arn:${partition}:s3:::${bucket}`;
    case "objects":
      return `arn:${partition}:s3:::${bucket}/*`;
    case "role":
      return iam(`role/${role}`);
    case "rolePolicy":
      return iam(`policy/${importerPolicyName(role)}`);
    case "user":
      return iam(`user/${user}`);
    case "group":
      return iam(`group/${censusGroupName(user)}`);
    case "groupPolicy":
      return iam(`policy/${censusPolicyName(user)}`);
    case "pinpointApps":
      return `arn:${partition}:mobiletargeting:${scope.region}:${scope.accountId}:apps`;
    case "pinpointApp":
      return `arn:${partition}:mobiletargeting:${scope.region}:${scope.accountId}:apps/${scope.projectId}`;
  }
}

/** Each action once, in the order first listed: what docs/permissions.md shows for a command. */
export function adminActions(command: AdminCommand): string[] {
  return [...new Set(ADMIN_PERMISSIONS[command].map((permission) => permission.action))];
}
