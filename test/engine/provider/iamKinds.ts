/**
 * The IAM resource types census-pinpoint's component declares, as the AWS provider handles them.
 *
 * Replace or update, from terraform-provider-aws (which @pulumi/aws v7 bridges), each type's schema in
 * internal/service/iam/<file>.go and its page in website/docs/r/:
 * - Role (role.go; iam_role.html.markdown "name - (Optional, Forces new resource)"): `name`,
 *   `namePrefix`, `path` ForceNew; `assumeRolePolicy`, `description`, `tags` in place.
 * - Policy (policy.go; iam_policy.html.markdown "description - (Optional, Forces new resource)"):
 *   `name`, `namePrefix`, `path`, `description` ForceNew; `policy` in place as a new default version
 *   (pruning the oldest of five), `tags` in place.
 * - RolePolicyAttachment, GroupPolicyAttachment: every input ForceNew, no Update at all.
 * - User (user.go; "name - (Required)"): nothing forces new; `name` and `path` change in place with
 *   UpdateUser, and the ID becomes the new name. `forceDestroy` is state only.
 * - Group (group.go): nothing forces new; `name` and `path` change in place with UpdateGroup.
 * - UserGroupMembership: `user` ForceNew; `groups` in place (add and remove the difference).
 * - AccessKey (access_key.go): `user` and `pgpKey` ForceNew; `status` in place.
 */
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteGroupCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DeleteUserCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  GetGroupCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListGroupsForUserCommand,
  ListPolicyTagsCommand,
  ListPolicyVersionsCommand,
  ListUserTagsCommand,
  RemoveUserFromGroupCommand,
  TagPolicyCommand,
  TagRoleCommand,
  TagUserCommand,
  UntagPolicyCommand,
  UntagRoleCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateGroupCommand,
  UpdateRoleDescriptionCommand,
  UpdateUserCommand,
  type CreateAccessKeyCommandOutput,
  type CreateGroupCommandOutput,
  type CreatePolicyCommandOutput,
  type CreateRoleCommandOutput,
  type CreateUserCommandOutput,
  type GetGroupCommandOutput,
  type GetPolicyCommandOutput,
  type GetPolicyVersionCommandOutput,
  type GetRoleCommandOutput,
  type GetUserCommandOutput,
  type IAMClient,
  type ListAccessKeysCommandOutput,
  type ListAttachedGroupPoliciesCommandOutput,
  type ListAttachedRolePoliciesCommandOutput,
  type ListGroupsForUserCommandOutput,
  type ListPolicyTagsCommandOutput,
  type ListPolicyVersionsCommandOutput,
  type ListUserTagsCommandOutput,
} from "@aws-sdk/client-iam";
import { randomBytes } from "node:crypto";
import { call, unlessNotFound } from "./awsCalls.js";
import { awsTags, decodePolicy, fromAwsTags, livePolicy, rfc3339, samePolicy, tagChanges, tagsOf, text, type Props, type ResourceKind, type Tags } from "./kind.js";

function iam(client: IAMClient, command: object, doing: string) {
  return call<never>(client, "IAM", command, doing);
}

/** Terraform's unique IDs for resources AWS gives none: a prefix, a timestamp and a counter. */
function uniqueId(prefix: string): string {
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 17);
  return `${prefix}${stamp}${randomBytes(4).toString("hex")}`;
}

/** Applies a tag change through a type's Tag/Untag calls. */
async function retag(before: Tags, after: Tags, tag: (tags: Tags) => Promise<unknown>, untag: (keys: string[]) => Promise<unknown>): Promise<void> {
  const { set, remove } = tagChanges(before, after);
  if (remove.length > 0) await untag(remove);
  if (Object.keys(set).length > 0) await tag(set);
}

const role: ResourceKind = {
  inputs: ["name", "namePrefix", "path", "description", "assumeRolePolicy", "tags", "maxSessionDuration"],
  replaceOn: ["name", "namePrefix", "path"],
  defaults: { path: "/", maxSessionDuration: 3600, description: "" },
  policyInputs: ["assumeRolePolicy"],
  async create(aws, inputs) {
    const name = text(inputs, "name");
    const created: CreateRoleCommandOutput = await iam(
      aws.iam,
      new CreateRoleCommand({
        RoleName: name,
        Path: (inputs.path as string | undefined) ?? "/",
        Description: (inputs.description as string | undefined) || undefined,
        AssumeRolePolicyDocument: text(inputs, "assumeRolePolicy"),
        Tags: awsTags(tagsOf(inputs)),
      }),
      `creating IAM Role (${name})`,
    );
    return { id: name, outs: roleOutputs(inputs, created.Role!) };
  },
  async read(aws, id, state) {
    const found = await unlessNotFound<GetRoleCommandOutput>(() => iam(aws.iam, new GetRoleCommand({ RoleName: id }), `reading IAM Role (${id})`));
    if (!found?.Role) return undefined;
    const live = found.Role;
    return roleOutputs(
      {
        ...state,
        description: live.Description ?? "",
        assumeRolePolicy: livePolicy(decodePolicy(live.AssumeRolePolicyDocument), state.assumeRolePolicy),
        tags: fromAwsTags(live.Tags),
      },
      live,
    );
  },
  async update(aws, id, olds, news) {
    if (!samePolicy(olds.assumeRolePolicy, news.assumeRolePolicy)) {
      await iam(aws.iam, new UpdateAssumeRolePolicyCommand({ RoleName: id, PolicyDocument: text(news, "assumeRolePolicy") }), `updating IAM Role (${id}) assume role policy`);
    }
    if ((olds.description ?? "") !== (news.description ?? "")) {
      await iam(aws.iam, new UpdateRoleDescriptionCommand({ RoleName: id, Description: (news.description as string | undefined) ?? "" }), `updating IAM Role (${id}) description`);
    }
    await retag(
      tagsOf(olds),
      tagsOf(news),
      (tags) => iam(aws.iam, new TagRoleCommand({ RoleName: id, Tags: awsTags(tags) }), `tagging IAM Role (${id})`),
      (keys) => iam(aws.iam, new UntagRoleCommand({ RoleName: id, TagKeys: keys }), `untagging IAM Role (${id})`),
    );
    return { ...olds, ...news, tagsAll: tagsOf(news) };
  },
  async delete(aws, id) {
    await unlessNotFound(() => iam(aws.iam, new DeleteRoleCommand({ RoleName: id }), `deleting IAM Role (${id})`));
  },
};

function roleOutputs(props: Props, live: { Arn?: string; RoleId?: string; CreateDate?: Date; Path?: string; RoleName?: string }): Props {
  return {
    ...props,
    name: live.RoleName,
    arn: live.Arn,
    uniqueId: live.RoleId,
    createDate: rfc3339(live.CreateDate),
    path: live.Path ?? "/",
    maxSessionDuration: props.maxSessionDuration ?? 3600,
    description: props.description ?? "",
    tagsAll: tagsOf(props),
  };
}

async function policyDocument(client: IAMClient, arn: string, versionId: string): Promise<string | undefined> {
  const version: GetPolicyVersionCommandOutput = await iam(client, new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId }), `reading IAM Policy (${arn}) version`);
  return decodePolicy(version.PolicyVersion?.Document);
}

async function policyVersions(client: IAMClient, arn: string) {
  const listed: ListPolicyVersionsCommandOutput = await iam(client, new ListPolicyVersionsCommand({ PolicyArn: arn }), `reading IAM Policy (${arn}) versions`);
  return listed.Versions ?? [];
}

const policy: ResourceKind = {
  inputs: ["name", "namePrefix", "path", "description", "policy", "tags"],
  replaceOn: ["name", "namePrefix", "path", "description"],
  defaults: { path: "/", description: "" },
  policyInputs: ["policy"],
  async create(aws, inputs) {
    const name = text(inputs, "name");
    const created: CreatePolicyCommandOutput = await iam(
      aws.iam,
      new CreatePolicyCommand({
        PolicyName: name,
        Path: (inputs.path as string | undefined) ?? "/",
        Description: (inputs.description as string | undefined) || undefined,
        PolicyDocument: text(inputs, "policy"),
        Tags: awsTags(tagsOf(inputs)),
      }),
      `creating IAM Policy (${name})`,
    );
    const arn = created.Policy!.Arn!;
    return { id: arn, outs: { ...inputs, arn, policyId: created.Policy!.PolicyId, path: created.Policy!.Path ?? "/", description: inputs.description ?? "", tagsAll: tagsOf(inputs) } };
  },
  async read(aws, id, state) {
    const found = await unlessNotFound<GetPolicyCommandOutput>(() => iam(aws.iam, new GetPolicyCommand({ PolicyArn: id }), `reading IAM Policy (${id})`));
    if (!found?.Policy) return undefined;
    const document = await policyDocument(aws.iam, id, found.Policy.DefaultVersionId ?? "v1");
    const tagged: ListPolicyTagsCommandOutput = await iam(aws.iam, new ListPolicyTagsCommand({ PolicyArn: id }), `reading IAM Policy (${id}) tags`);
    const tags = fromAwsTags(tagged.Tags);
    return { ...state, name: found.Policy.PolicyName, description: found.Policy.Description ?? "", policy: livePolicy(document, state.policy), tags, tagsAll: tags };
  },
  async update(aws, id, olds, news) {
    if (!samePolicy(olds.policy, news.policy)) {
      // IAM keeps at most five versions: the provider deletes the oldest non-default one first.
      const versions = await policyVersions(aws.iam, id);
      if (versions.length >= 5) {
        const oldest = versions.filter((version) => !version.IsDefaultVersion).sort((a, b) => Number(a.CreateDate) - Number(b.CreateDate))[0]!;
        await iam(aws.iam, new DeletePolicyVersionCommand({ PolicyArn: id, VersionId: oldest.VersionId }), `deleting IAM Policy (${id}) version ${oldest.VersionId}`);
      }
      await iam(aws.iam, new CreatePolicyVersionCommand({ PolicyArn: id, PolicyDocument: text(news, "policy"), SetAsDefault: true }), `updating IAM Policy (${id})`);
    }
    await retag(
      tagsOf(olds),
      tagsOf(news),
      (tags) => iam(aws.iam, new TagPolicyCommand({ PolicyArn: id, Tags: awsTags(tags) }), `tagging IAM Policy (${id})`),
      (keys) => iam(aws.iam, new UntagPolicyCommand({ PolicyArn: id, TagKeys: keys }), `untagging IAM Policy (${id})`),
    );
    return { ...olds, ...news, tagsAll: tagsOf(news) };
  },
  async delete(aws, id) {
    await unlessNotFound(async () => {
      for (const version of (await policyVersions(aws.iam, id)).filter((v) => !v.IsDefaultVersion)) {
        await iam(aws.iam, new DeletePolicyVersionCommand({ PolicyArn: id, VersionId: version.VersionId }), `deleting IAM Policy (${id}) version ${version.VersionId}`);
      }
      await iam(aws.iam, new DeletePolicyCommand({ PolicyArn: id }), `deleting IAM Policy (${id})`);
    });
  },
};

const roleAttachment: ResourceKind = {
  inputs: ["role", "policyArn"],
  replaceOn: ["role", "policyArn"],
  async create(aws, inputs) {
    const [roleName, policyArn] = [text(inputs, "role"), text(inputs, "policyArn")];
    await iam(aws.iam, new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn }), `attaching IAM Policy (${policyArn}) to IAM Role (${roleName})`);
    return { id: uniqueId(`${roleName}-`), outs: inputs };
  },
  async read(aws, _id, state) {
    const listed = await unlessNotFound<ListAttachedRolePoliciesCommandOutput>(() =>
      iam(aws.iam, new ListAttachedRolePoliciesCommand({ RoleName: text(state, "role") }), `reading IAM Role (${String(state.role)}) policy attachments`),
    );
    return listed?.AttachedPolicies?.some((attached) => attached.PolicyArn === state.policyArn) ? state : undefined;
  },
  async delete(aws, _id, state) {
    await unlessNotFound(() =>
      iam(aws.iam, new DetachRolePolicyCommand({ RoleName: text(state, "role"), PolicyArn: text(state, "policyArn") }), `detaching IAM Policy from IAM Role (${String(state.role)})`),
    );
  },
};

const groupAttachment: ResourceKind = {
  inputs: ["group", "policyArn"],
  replaceOn: ["group", "policyArn"],
  async create(aws, inputs) {
    const [group, policyArn] = [text(inputs, "group"), text(inputs, "policyArn")];
    await iam(aws.iam, new AttachGroupPolicyCommand({ GroupName: group, PolicyArn: policyArn }), `attaching IAM Policy (${policyArn}) to IAM Group (${group})`);
    return { id: uniqueId(`${group}-`), outs: inputs };
  },
  async read(aws, _id, state) {
    const listed = await unlessNotFound<ListAttachedGroupPoliciesCommandOutput>(() =>
      iam(aws.iam, new ListAttachedGroupPoliciesCommand({ GroupName: text(state, "group") }), `reading IAM Group (${String(state.group)}) policy attachments`),
    );
    return listed?.AttachedPolicies?.some((attached) => attached.PolicyArn === state.policyArn) ? state : undefined;
  },
  async delete(aws, _id, state) {
    await unlessNotFound(() =>
      iam(aws.iam, new DetachGroupPolicyCommand({ GroupName: text(state, "group"), PolicyArn: text(state, "policyArn") }), `detaching IAM Policy from IAM Group (${String(state.group)})`),
    );
  },
};

async function userTags(client: IAMClient, name: string): Promise<Tags> {
  const listed: ListUserTagsCommandOutput = await iam(client, new ListUserTagsCommand({ UserName: name }), `reading IAM User (${name}) tags`);
  return fromAwsTags(listed.Tags);
}

async function groupsOf(client: IAMClient, user: string): Promise<string[]> {
  const listed: ListGroupsForUserCommandOutput = await iam(client, new ListGroupsForUserCommand({ UserName: user }), `reading IAM User (${user}) groups`);
  return (listed.Groups ?? []).map((group) => group.GroupName!);
}

const user: ResourceKind = {
  inputs: ["name", "path", "forceDestroy", "tags", "permissionsBoundary"],
  replaceOn: [],
  defaults: { path: "/", forceDestroy: false },
  async create(aws, inputs) {
    const name = text(inputs, "name");
    const created: CreateUserCommandOutput = await iam(
      aws.iam,
      new CreateUserCommand({ UserName: name, Path: (inputs.path as string | undefined) ?? "/", Tags: awsTags(tagsOf(inputs)) }),
      `creating IAM User (${name})`,
    );
    return { id: name, outs: userOutputs(inputs, created.User!) };
  },
  async read(aws, id, state) {
    const current = (state.name as string | undefined) ?? id;
    const found = await unlessNotFound<GetUserCommandOutput>(() => iam(aws.iam, new GetUserCommand({ UserName: current }), `reading IAM User (${current})`));
    if (!found?.User) return undefined;
    return userOutputs({ ...state, tags: await userTags(aws.iam, current) }, found.User);
  },
  async update(aws, id, olds, news) {
    const current = (olds.name as string | undefined) ?? id;
    const name = text(news, "name");
    if (name !== current || (olds.path ?? "/") !== (news.path ?? "/")) {
      await iam(aws.iam, new UpdateUserCommand({ UserName: current, NewUserName: name, NewPath: (news.path as string | undefined) ?? "/" }), `updating IAM User (${current})`);
    }
    await retag(
      tagsOf(olds),
      tagsOf(news),
      (tags) => iam(aws.iam, new TagUserCommand({ UserName: name, Tags: awsTags(tags) }), `tagging IAM User (${name})`),
      (keys) => iam(aws.iam, new UntagUserCommand({ UserName: name, TagKeys: keys }), `untagging IAM User (${name})`),
    );
    const found: GetUserCommandOutput = await iam(aws.iam, new GetUserCommand({ UserName: name }), `reading IAM User (${name})`);
    return userOutputs(news, found.User!);
  },
  async delete(aws, stateId, state) {
    const id = (state.name as string | undefined) ?? stateId;
    await unlessNotFound(async () => {
      // IAM refuses to delete a user still in a group; with forceDestroy its keys go too.
      for (const group of await groupsOf(aws.iam, id)) {
        await iam(aws.iam, new RemoveUserFromGroupCommand({ UserName: id, GroupName: group }), `removing IAM User (${id}) from IAM Group (${group})`);
      }
      if (state.forceDestroy === true) {
        const keys: ListAccessKeysCommandOutput = await iam(aws.iam, new ListAccessKeysCommand({ UserName: id }), `reading IAM User (${id}) access keys`);
        for (const key of keys.AccessKeyMetadata ?? []) {
          await iam(aws.iam, new DeleteAccessKeyCommand({ UserName: id, AccessKeyId: key.AccessKeyId }), `deleting IAM Access Key (${key.AccessKeyId})`);
        }
      }
      await iam(aws.iam, new DeleteUserCommand({ UserName: id }), `deleting IAM User (${id})`);
    });
  },
};

function userOutputs(props: Props, live: { Arn?: string; UserId?: string; Path?: string; UserName?: string }): Props {
  return { ...props, name: live.UserName, arn: live.Arn, uniqueId: live.UserId, path: live.Path ?? "/", forceDestroy: props.forceDestroy ?? false, tagsAll: tagsOf(props) };
}

const group: ResourceKind = {
  inputs: ["name", "path"],
  replaceOn: [],
  defaults: { path: "/" },
  async create(aws, inputs) {
    const name = text(inputs, "name");
    const created: CreateGroupCommandOutput = await iam(aws.iam, new CreateGroupCommand({ GroupName: name, Path: (inputs.path as string | undefined) ?? "/" }), `creating IAM Group (${name})`);
    return { id: name, outs: { ...inputs, name, arn: created.Group!.Arn, uniqueId: created.Group!.GroupId, path: created.Group!.Path ?? "/" } };
  },
  async read(aws, id, state) {
    const current = (state.name as string | undefined) ?? id;
    const found = await unlessNotFound<GetGroupCommandOutput>(() => iam(aws.iam, new GetGroupCommand({ GroupName: current }), `reading IAM Group (${current})`));
    return found?.Group && { ...state, name: found.Group.GroupName, arn: found.Group.Arn, path: found.Group.Path ?? "/" };
  },
  async update(aws, id, olds, news) {
    const current = (olds.name as string | undefined) ?? id;
    const name = text(news, "name");
    await iam(aws.iam, new UpdateGroupCommand({ GroupName: current, NewGroupName: name, NewPath: (news.path as string | undefined) ?? "/" }), `updating IAM Group (${current})`);
    const found: GetGroupCommandOutput = await iam(aws.iam, new GetGroupCommand({ GroupName: name }), `reading IAM Group (${name})`);
    return { ...news, name, arn: found.Group!.Arn, uniqueId: found.Group!.GroupId, path: found.Group!.Path ?? "/" };
  },
  async delete(aws, stateId, state) {
    const id = (state.name as string | undefined) ?? stateId;
    await unlessNotFound(() => iam(aws.iam, new DeleteGroupCommand({ GroupName: id }), `deleting IAM Group (${id})`));
  },
};

function groupList(props: Props): string[] {
  return (props.groups as string[] | undefined) ?? [];
}

const membership: ResourceKind = {
  inputs: ["user", "groups"],
  replaceOn: ["user"],
  async create(aws, inputs) {
    const name = text(inputs, "user");
    for (const groupName of groupList(inputs)) {
      await iam(aws.iam, new AddUserToGroupCommand({ UserName: name, GroupName: groupName }), `adding IAM User (${name}) to IAM Group (${groupName})`);
    }
    return { id: uniqueId("terraform-"), outs: inputs };
  },
  async read(aws, _id, state) {
    const name = text(state, "user");
    const live = await unlessNotFound(() => groupsOf(aws.iam, name));
    if (live === undefined) return undefined;
    // The membership manages only its own groups: others the user is in are not its business.
    const kept = groupList(state).filter((groupName) => live.includes(groupName));
    return kept.length > 0 ? { ...state, groups: kept } : undefined;
  },
  async update(aws, _id, olds, news) {
    const name = text(news, "user");
    const [before, after] = [groupList(olds), groupList(news)];
    for (const groupName of before.filter((g) => !after.includes(g))) {
      await unlessNotFound(() => iam(aws.iam, new RemoveUserFromGroupCommand({ UserName: name, GroupName: groupName }), `removing IAM User (${name}) from IAM Group (${groupName})`));
    }
    for (const groupName of after.filter((g) => !before.includes(g))) {
      await iam(aws.iam, new AddUserToGroupCommand({ UserName: name, GroupName: groupName }), `adding IAM User (${name}) to IAM Group (${groupName})`);
    }
    return news;
  },
  async delete(aws, _id, state) {
    const name = text(state, "user");
    for (const groupName of groupList(state)) {
      await unlessNotFound(() => iam(aws.iam, new RemoveUserFromGroupCommand({ UserName: name, GroupName: groupName }), `removing IAM User (${name}) from IAM Group (${groupName})`));
    }
  },
};

const accessKey: ResourceKind = {
  inputs: ["user", "pgpKey", "status"],
  replaceOn: ["user", "pgpKey"],
  defaults: { status: "Active" },
  async create(aws, inputs) {
    const name = text(inputs, "user");
    const created: CreateAccessKeyCommandOutput = await iam(aws.iam, new CreateAccessKeyCommand({ UserName: name }), `creating IAM Access Key (${name})`);
    const key = created.AccessKey!;
    if (inputs.status === "Inactive") {
      await iam(aws.iam, new UpdateAccessKeyCommand({ UserName: name, AccessKeyId: key.AccessKeyId, Status: "Inactive" }), `updating IAM Access Key (${key.AccessKeyId})`);
    }
    return {
      id: key.AccessKeyId!,
      outs: { ...inputs, user: name, secret: key.SecretAccessKey, status: inputs.status ?? "Active", createDate: rfc3339(key.CreateDate) },
    };
  },
  async read(aws, id, state) {
    const listed = await unlessNotFound<ListAccessKeysCommandOutput>(() =>
      iam(aws.iam, new ListAccessKeysCommand({ UserName: text(state, "user") }), `reading IAM Access Key (${id})`),
    );
    const live = listed?.AccessKeyMetadata?.find((key) => key.AccessKeyId === id);
    // AWS never shows a secret again: the state keeps the one create returned.
    return live && { ...state, status: live.Status, createDate: rfc3339(live.CreateDate) };
  },
  async update(aws, id, olds, news) {
    const status = (news.status as string | undefined) ?? "Active";
    await iam(aws.iam, new UpdateAccessKeyCommand({ UserName: text(news, "user"), AccessKeyId: id, Status: status as never }), `updating IAM Access Key (${id})`);
    return { ...olds, ...news, status };
  },
  async delete(aws, id, state) {
    await unlessNotFound(() => iam(aws.iam, new DeleteAccessKeyCommand({ UserName: text(state, "user"), AccessKeyId: id }), `deleting IAM Access Key (${id})`));
  },
};

export const IAM_KINDS: Record<string, ResourceKind> = {
  "aws:iam/role:Role": role,
  "aws:iam/policy:Policy": policy,
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": roleAttachment,
  "aws:iam/user:User": user,
  "aws:iam/group:Group": group,
  "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": groupAttachment,
  "aws:iam/userGroupMembership:UserGroupMembership": membership,
  "aws:iam/accessKey:AccessKey": accessKey,
};
