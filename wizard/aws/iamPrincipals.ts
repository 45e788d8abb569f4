/**
 * The importer role and Census's user as IAM describes them, for the audit: the role's trust policy;
 * whether the user is also a person's (a console password, MFA devices), which changes what may be
 * suggested about it.
 */
import { GetLoginProfileCommand, GetRoleCommand, GetUserCommand, IAMClient, paginateListMFADevices } from "@aws-sdk/client-iam";
import { AwsRequestError } from "../errors.js";
import type { AwsTarget } from "./target.js";
import { iamFailureToCliError, isNoSuchEntity } from "./awsErrors.js";
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

async function withIam<T>(target: AwsTarget, use: (iam: IAMClient, fail: (operation: string, error: unknown) => never) => Promise<T>): Promise<T> {
  const iam = new IAMClient(awsClientConfig(target, "IAM"));
  const fail = (operation: string, error: unknown): never => {
    throw iamFailureToCliError(error, target, operation);
  };
  try {
    return await use(iam, fail);
  } finally {
    iam.destroy();
  }
}

/** Undefined when there is no such role. A trust policy that is not JSON is an AwsRequestError. */
export function readRole(target: AwsTarget, roleName: string): Promise<RoleRecord | undefined> {
  return withIam(target, async (iam, fail) => {
    let role: { Arn?: string; AssumeRolePolicyDocument?: string } | undefined;
    try {
      role = (await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role;
    } catch (error) {
      return isNoSuchEntity(error) ? undefined : fail("GetRole", error);
    }
    try {
      return { arn: role?.Arn ?? "", trustPolicy: parseIamDocument(role?.AssumeRolePolicyDocument ?? "{}") };
    } catch {
      throw new AwsRequestError(`IAM returned a trust policy of role ${roleName} that is not JSON.`);
    }
  });
}

/** Undefined when there is no such user. */
export function readUser(target: AwsTarget, userName: string): Promise<UserRecord | undefined> {
  return withIam(target, async (iam, fail) => {
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
