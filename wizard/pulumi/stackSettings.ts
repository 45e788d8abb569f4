/** An existing stack's settings (config and secrets provider): restored from its backend, and the provider changed. */
import type { Stack } from "@pulumi/pulumi/automation/index.js";
import type { ProgressReporter } from "../progress.js";
import { runStackCommand } from "./stackCommand.js";
import { describeSecretsProvider, stackSecretsProvider } from "./secretsProvider.js";

/**
 * `pulumi config refresh` rewrites the work dir's stack settings from the stack's last update in the
 * backend: its config (names, expiry, KMS key, the rotation's key generation) and its secrets provider
 * (the passphrase's salt, or the KMS key and the encrypted data key). A stack never updated has no
 * such record; its local settings are all there is. Returns the provider the stack uses.
 */
export async function restoreStackSettings(stack: Stack, backendUrl: string): Promise<string> {
  try {
    // Not workspace.refreshConfig: it reads the whole config back (secrets in clear) with another CLI run.
    await runStackCommand(stack, ["config", "refresh", "--force"]);
  } catch (error) {
    if (!/no previous deployment/i.test(String((error as Error).message))) throw error;
  }
  const settings = await stack.workspace.stackSettings(stack.name).catch(() => undefined);
  return stackSecretsProvider(settings, backendUrl);
}

/** Re-encrypts the stack's secrets with another provider: how a stack moves from a passphrase to a team's KMS key. */
export async function changeSecretsProvider(stack: Stack, from: string, to: string, onProgress: ProgressReporter): Promise<void> {
  onProgress({ kind: "step", message: `Moving the secrets of stack ${stack.name} from ${describeSecretsProvider(from)} to ${describeSecretsProvider(to)}` });
  await runStackCommand(stack, ["stack", "change-secrets-provider", to]);
  onProgress({ kind: "info", message: `The secrets of stack ${stack.name} are now encrypted with ${describeSecretsProvider(to)}.` });
}
