/**
 * The key's status as IAM records it, read with the administrator's credentials: it tells a
 * deactivated or deleted key from one that is still propagating, so verify neither waits for a key
 * that will never work nor calls a new key broken.
 */
import { accessKeysOf, keyUser } from "../aws/accessKeys.js";
import { adminSkipReason, type AdminSession } from "./adminAccess.js";
import { keyProfileOf, type VerifyScope } from "./input.js";
import { checkOf, type VerifyCheck } from "./report.js";

export type KeyState =
  | { known: true; status: "active" | "inactive"; userName: string; createdAt?: Date }
  | { known: true; status: "absent" }
  | { known: false; reason: string };

export async function lookUpKeyState(session: AdminSession, accessKeyId: string | undefined): Promise<KeyState> {
  if (!session.ok) return { known: false, reason: session.reason };
  if (accessKeyId === undefined) return { known: false, reason: "the access key could not be read" };
  let operation = "GetAccessKeyLastUsed";
  try {
    // Names the key's user without knowing it beforehand (a setup done by hand tells only the key).
    // Uncertain: whether AWS answers NoSuchEntity (rather than AccessDenied) for a key of another
    // account; the administrator session is already checked to be in the setup's account.
    const owner = await keyUser(session.target, accessKeyId);
    if (!owner.found) return { known: true, status: "absent" };
    if (owner.userName === undefined) return { known: false, reason: "IAM did not name the key's user" };
    operation = "ListAccessKeys";
    const key = (await accessKeysOf(session.target, owner.userName)).find((entry) => entry.id === accessKeyId);
    if (!key) return { known: true, status: "absent" };
    return { known: true, status: key.active ? "active" : "inactive", userName: owner.userName, createdAt: key.createdAt };
  } catch (error) {
    return { known: false, reason: adminSkipReason(error, session.target, operation, `iam:${operation}`) };
  }
}

function replaceKeyFix(scope: VerifyScope, userName: string): string {
  const profile = keyProfileOf(scope);
  return profile === undefined
    ? "Run `census-pinpoint rotate-key` for a new key and paste it into Census."
    : `Create a new access key for ${userName} (IAM → Users → ${userName} → Security credentials), store it in AWS profile "${profile}" and paste it into Census.`;
}

/** `keyWorks`: AWS accepted the key, so IAM not listing it can only be IAM's listing lagging behind. */
export function keyActiveCheck(state: KeyState, accessKeyId: string | undefined, scope: VerifyScope, keyWorks: boolean): VerifyCheck {
  const check = checkOf("key-active", accessKeyId ? `The access key ${accessKeyId} is active in IAM` : "The access key is active in IAM");
  if (!state.known) return check.skipped(state.reason);
  if (state.status === "absent" && keyWorks) return check.skipped("IAM does not list the key yet; a new key takes a moment to appear");
  if (state.status === "absent") {
    const profile = keyProfileOf(scope);
    return check.failed(
      `IAM has no access key ${accessKeyId} in account ${scope.accountId}: it was deleted`,
      profile === undefined
        ? "Run `census-pinpoint rotate-key` to create a new key (the stack still records the deleted one), then paste it into Census."
        : `Check the key in AWS profile "${profile}": it is not a key of this account. Create a new one for the Census user in IAM if it was deleted.`,
    );
  }
  const created = state.createdAt ? `, created ${state.createdAt.toISOString()}` : "";
  if (state.status === "inactive") {
    return check.failed(
      `IAM lists it as Inactive (user ${state.userName}${created}), so AWS rejects every request made with it`,
      `Reactivate it (\`aws iam update-access-key --user-name ${state.userName} --access-key-id ${accessKeyId} --status Active\`), or: ${replaceKeyFix(scope, state.userName)}`,
    );
  }
  return check.passed(`user ${state.userName}${created}`);
}
