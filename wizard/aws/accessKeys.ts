/** A user's access keys as IAM records them, and when each was last used: what a key rotation checks before deleting one. */
import { GetAccessKeyLastUsedCommand, IAMClient, ListAccessKeysCommand } from "@aws-sdk/client-iam";
import type { AwsTarget } from "./target.js";
import { iamFailureToCliError, isNoSuchEntity } from "./awsErrors.js";
import { awsClientConfig } from "./clients.js";

export interface AccessKeyRecord {
  id: string;
  active: boolean;
  createdAt?: Date;
}

export interface KeyLastUse {
  /** Undefined: never used. */
  at?: Date;
  service?: string;
  region?: string;
}

async function withIam<T>(target: AwsTarget, operation: string, send: (iam: IAMClient) => Promise<T>): Promise<T> {
  const iam = new IAMClient(awsClientConfig(target, "IAM"));
  try {
    return await send(iam);
  } catch (error) {
    throw iamFailureToCliError(error, target, operation);
  } finally {
    iam.destroy();
  }
}

/** The user's keys; none when there is no such user. */
export function accessKeysOf(target: AwsTarget, userName: string): Promise<AccessKeyRecord[]> {
  return withIam(target, "ListAccessKeys", async (iam) => {
    try {
      const { AccessKeyMetadata = [] } = await iam.send(new ListAccessKeysCommand({ UserName: userName }));
      return AccessKeyMetadata.flatMap((key) => (key.AccessKeyId ? [{ id: key.AccessKeyId, active: key.Status === "Active", createdAt: key.CreateDate }] : []));
    } catch (error) {
      if (isNoSuchEntity(error)) return [];
      throw error;
    }
  });
}

/** Whose key it is, by IAM's record: `found` false when IAM has no such key; no `userName` when IAM names no user. */
export type KeyUser = { found: false } | { found: true; userName?: string };

export function keyUser(target: AwsTarget, accessKeyId: string): Promise<KeyUser> {
  return withIam(target, "GetAccessKeyLastUsed", async (iam) => {
    try {
      const { UserName } = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }));
      return { found: true, ...(UserName ? { userName: UserName } : {}) };
    } catch (error) {
      if (isNoSuchEntity(error)) return { found: false };
      throw error;
    }
  });
}

export function keyLastUse(target: AwsTarget, accessKeyId: string): Promise<KeyLastUse> {
  return withIam(target, "GetAccessKeyLastUsed", async (iam) => {
    const { AccessKeyLastUsed } = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }));
    // IAM reports "N/A" for a key that was never used.
    const used = AccessKeyLastUsed?.LastUsedDate !== undefined;
    return used ? { at: AccessKeyLastUsed!.LastUsedDate, service: AccessKeyLastUsed!.ServiceName, region: AccessKeyLastUsed!.Region } : {};
  });
}
