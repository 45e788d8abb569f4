/**
 * Whose key an AWS profile holds: the audit's way from `--key-profile` to the IAM user behind it.
 * IAM is asked first, with the administrator's credentials, so the key itself is not used: a call made
 * with it would count as its last use and hide that Census stopped using it (Security Hub IAM.8).
 * Only a key IAM does not place (a root user's, temporary credentials, another account's) is shown
 * to STS.
 */
import type { AwsTarget } from "./target.js";
import { accessKeysOf, keyUser } from "./accessKeys.js";
import { credentialsAccessKeyId } from "./credentialKey.js";
import { getCallerIdentity } from "./identity.js";

export type KeyPrincipal =
  | { kind: "user"; name: string }
  | { kind: "root" }
  /** Temporary credentials of a role session: no access key of a user at all. */
  | { kind: "assumed-role"; roleName: string }
  | { kind: "other" };

export type KeyOwner = { accessKeyId: string; principal: KeyPrincipal } & (
  | { via: "iam" }
  /** What STS said when called with the key. */
  | { via: "sts"; arn: string; accountId: string }
);

export function keyPrincipalOf(arn: string): KeyPrincipal {
  const match = /^arn:[\w-]+:(iam|sts)::\d{12}:(.*)$/.exec(arn);
  const resource = match?.[2] ?? "";
  if (resource === "root") return { kind: "root" };
  if (match?.[1] === "iam" && resource.startsWith("user/")) return { kind: "user", name: resource.split("/").at(-1)! };
  if (resource.startsWith("assumed-role/")) return { kind: "assumed-role", roleName: resource.split("/")[1]! };
  return { kind: "other" };
}

/** The IAM user whose key this is, by IAM's record; undefined when IAM does not place it in this account. */
async function userOfKey(admin: AwsTarget, accessKeyId: string): Promise<string | undefined> {
  const owner = await keyUser(admin, accessKeyId).catch(() => undefined);
  // IAM names an owner for keys that are no IAM user's too (a root user's): the user's own list settles it.
  if (!owner?.found || owner.userName === undefined) return undefined;
  const { userName } = owner;
  const keys = await accessKeysOf(admin, userName);
  return keys.some((key) => key.id === accessKeyId) ? userName : undefined;
}

/** Throws the CLI's AWS errors: a profile that does not exist, a key STS rejects. */
export async function keyOwnerOfProfile(admin: AwsTarget, profile: string): Promise<KeyOwner> {
  const target: AwsTarget = { region: admin.region, profile, env: admin.env };
  const accessKeyId = await credentialsAccessKeyId(target);
  const userName = await userOfKey(admin, accessKeyId);
  if (userName) return { accessKeyId, principal: { kind: "user", name: userName }, via: "iam" };
  const identity = await getCallerIdentity(target);
  return { accessKeyId, principal: keyPrincipalOf(identity.arn), via: "sts", arn: identity.arn, accountId: identity.accountId };
}
