/**
 * The importer role and Census's user as IAM describes them, for the audit: the role's trust policy;
 * whether the user is also a person's (a console password, MFA devices), which changes what may be
 * suggested about it.
 */
import { GetLoginProfileCommand, GetRoleCommand, GetUserCommand, IAMClient, paginateListMFADevices } from "@aws-sdk/client-iam";
import type { AwsTarget } from "./target.js";
import { awsFailureToCliError } from "./awsErrors.js";
import { awsClientConfig } from "./clients.js";
import { parseIamDocument } from "./principalPolicies.js";

export interface RoleRecord {
  arn: string;
  trustPolicy: unknown;
}

export interface UserRecord {
  arn: string;
  /** A login profile: someone signs in to the console as this user. */
  consolePassword: boolean;
  mfaDevices: number;
}

function isNoSuchEntity(error: unknown): boolean {
  const { name, Code } = (error ?? {}) as { name?: unknown; Code?: unknown };
  return name === "NoSuchEntityException" || Code === "NoSuchEntity";
}

async function withIam<T>(target: AwsTarget, env: NodeJS.ProcessEnv | undefined, use: (iam: IAMClient, fail: (operation: string, error: unknown) => never) => Promise<T>): Promise<T> {
  const iam = new IAMClient(awsClientConfig(target, "IAM", env));
  const fail = (operation: string, error: unknown): never => {
    throw awsFailureToCliError(error, { target, service: "IAM", operation, permission: `iam:${operation}`, env });
  };
  try {
    return await use(iam, fail);
  } finally {
    iam.destroy();
  }
}

/** Undefined when there is no such role. */
export function readRole(target: AwsTarget, roleName: string, env?: NodeJS.ProcessEnv): Promise<RoleRecord | undefined> {
  return withIam(target, env, async (iam, fail) => {
    try {
      const { Role } = await iam.send(new GetRoleCommand({ RoleName: roleName }));
      return { arn: Role?.Arn ?? "", trustPolicy: parseIamDocument(Role?.AssumeRolePolicyDocument ?? "{}") };
    } catch (error) {
      return isNoSuchEntity(error) ? undefined : fail("GetRole", error);
    }
  });
}

/** Undefined when there is no such user. */
export function readUser(target: AwsTarget, userName: string, env?: NodeJS.ProcessEnv): Promise<UserRecord | undefined> {
  return withIam(target, env, async (iam, fail) => {
    let arn: string;
    try {
      const { User } = await iam.send(new GetUserCommand({ UserName: userName }));
      arn = User?.Arn ?? "";
    } catch (error) {
      return isNoSuchEntity(error) ? undefined : fail("GetUser", error);
    }
    let consolePassword = true;
    try {
      await iam.send(new GetLoginProfileCommand({ UserName: userName }));
    } catch (error) {
      if (!isNoSuchEntity(error)) fail("GetLoginProfile", error);
      consolePassword = false;
    }
    let mfaDevices = 0;
    try {
      for await (const page of paginateListMFADevices({ client: iam }, { UserName: userName })) mfaDevices += page.MFADevices?.length ?? 0;
    } catch (error) {
      fail("ListMFADevices", error);
    }
    return { arn, consolePassword, mfaDevices };
  });
}
