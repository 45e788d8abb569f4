/**
 * Every policy that reaches an IAM role or user, with its document: inline policies, attached managed
 * policies (the customer's and AWS's), and for a user those of each group it is in. Read with the
 * administrator's credentials; what is done with the documents is the audit's business.
 */
import {
  GetGroupPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  IAMClient,
  paginateListAttachedGroupPolicies,
  paginateListAttachedRolePolicies,
  paginateListAttachedUserPolicies,
  paginateListGroupPolicies,
  paginateListGroupsForUser,
  paginateListRolePolicies,
  paginateListUserPolicies,
} from "@aws-sdk/client-iam";
import type { AwsTarget } from "./target.js";
import { iamFailureToCliError } from "./awsErrors.js";
import { awsClientConfig } from "./clients.js";
import { allItems } from "./pages.js";

export type Principal = { kind: "role"; name: string } | { kind: "user"; name: string };

/** Where a policy is attached: to the principal itself, or to a group the user is in. */
export type PolicyHolder = Principal | { kind: "group"; name: string };

export interface PrincipalPolicy {
  holder: PolicyHolder;
  /** Inline policies live in their holder; managed ones have an ARN of their own. */
  kind: "inline" | "managed";
  name: string;
  /** Managed policies only. */
  arn?: string;
  /** Managed by AWS (arn:<partition>:iam::aws:policy/…): nobody in the account can change it. */
  awsManaged: boolean;
  /** The parsed JSON document (of the default version, for a managed policy). */
  document: unknown;
}

/**
 * IAM hands policy documents out URL-encoded (RFC 3986); some endpoints (moto, for AWS managed
 * policies) hand out plain JSON, which would not survive decoding if it held a `%`.
 */
export function parseIamDocument(text: string): unknown {
  return JSON.parse(text.trimStart().startsWith("{") ? text : decodeURIComponent(text));
}

export function isAwsManagedPolicyArn(arn: string): boolean {
  return /^arn:[\w-]+:iam::aws:policy\//.test(arn);
}

interface Reader {
  client: IAMClient;
  target: AwsTarget;
}

async function call<T>(reader: Reader, operation: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw iamFailureToCliError(error, reader.target, operation);
  }
}

async function everyItem<Page, Item>(reader: Reader, operation: string, pages: AsyncIterable<Page>, items: (page: Page) => Item[] | undefined): Promise<Item[]> {
  return call(reader, operation, () => allItems(pages, items));
}

async function inlinePolicies(reader: Reader, holder: PolicyHolder): Promise<PrincipalPolicy[]> {
  const paging = { client: reader.client };
  const names =
    holder.kind === "role"
      ? await everyItem(reader, "ListRolePolicies", paginateListRolePolicies(paging, { RoleName: holder.name }), (page) => page.PolicyNames)
      : holder.kind === "user"
        ? await everyItem(reader, "ListUserPolicies", paginateListUserPolicies(paging, { UserName: holder.name }), (page) => page.PolicyNames)
        : await everyItem(reader, "ListGroupPolicies", paginateListGroupPolicies(paging, { GroupName: holder.name }), (page) => page.PolicyNames);
  return Promise.all(
    names.map(async (name) => {
      const document =
        holder.kind === "role"
          ? (await call(reader, "GetRolePolicy", () => reader.client.send(new GetRolePolicyCommand({ RoleName: holder.name, PolicyName: name })))).PolicyDocument
          : holder.kind === "user"
            ? (await call(reader, "GetUserPolicy", () => reader.client.send(new GetUserPolicyCommand({ UserName: holder.name, PolicyName: name })))).PolicyDocument
            : (await call(reader, "GetGroupPolicy", () => reader.client.send(new GetGroupPolicyCommand({ GroupName: holder.name, PolicyName: name })))).PolicyDocument;
      return { holder, kind: "inline" as const, name, awsManaged: false, document: parseIamDocument(document ?? "{}") };
    }),
  );
}

/** A managed policy's default version, read once however many holders share it. */
function managedDocuments(reader: Reader): (arn: string) => Promise<unknown> {
  const documents = new Map<string, Promise<unknown>>();
  return (arn) => {
    let document = documents.get(arn);
    if (!document) {
      document = (async () => {
        const { Policy } = await call(reader, "GetPolicy", () => reader.client.send(new GetPolicyCommand({ PolicyArn: arn })));
        const { PolicyVersion } = await call(reader, "GetPolicyVersion", () =>
          reader.client.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: Policy?.DefaultVersionId })),
        );
        return parseIamDocument(PolicyVersion?.Document ?? "{}");
      })();
      documents.set(arn, document);
    }
    return document;
  };
}

async function attachedPolicies(reader: Reader, holder: PolicyHolder, documentOf: (arn: string) => Promise<unknown>): Promise<PrincipalPolicy[]> {
  const paging = { client: reader.client };
  const attached =
    holder.kind === "role"
      ? await everyItem(reader, "ListAttachedRolePolicies", paginateListAttachedRolePolicies(paging, { RoleName: holder.name }), (page) => page.AttachedPolicies)
      : holder.kind === "user"
        ? await everyItem(reader, "ListAttachedUserPolicies", paginateListAttachedUserPolicies(paging, { UserName: holder.name }), (page) => page.AttachedPolicies)
        : await everyItem(reader, "ListAttachedGroupPolicies", paginateListAttachedGroupPolicies(paging, { GroupName: holder.name }), (page) => page.AttachedPolicies);
  return Promise.all(
    attached.flatMap(({ PolicyArn: arn, PolicyName: name }) =>
      arn ? [documentOf(arn).then((document) => ({ holder, kind: "managed" as const, name: name ?? arn, arn, awsManaged: isAwsManagedPolicyArn(arn), document }))] : [],
    ),
  );
}

/**
 * Every policy reaching `principal`: its own first, then each group's. Throws the CLI's AWS errors
 * (a principal that does not exist is IAM's NoSuchEntity, exit 3 like any refusal).
 */
export async function policiesOf(target: AwsTarget, principal: Principal): Promise<PrincipalPolicy[]> {
  const client = new IAMClient(awsClientConfig(target, "IAM"));
  const reader: Reader = { client, target };
  const documentOf = managedDocuments(reader);
  try {
    const groups =
      principal.kind === "user"
        ? await everyItem(reader, "ListGroupsForUser", paginateListGroupsForUser({ client }, { UserName: principal.name }), (page) => page.Groups)
        : [];
    const holders: PolicyHolder[] = [principal, ...groups.flatMap((group) => (group.GroupName ? [{ kind: "group" as const, name: group.GroupName }] : []))];
    const perHolder = await Promise.all(
      holders.map(async (holder) => [...(await inlinePolicies(reader, holder)), ...(await attachedPolicies(reader, holder, documentOf))]),
    );
    return perHolder.flat();
  } finally {
    client.destroy();
  }
}
