/**
 * Whether the secrets of each stack in the backend can be opened here. A passphrase stack: a
 * passphrase is available, and it opens the stack's key (its `encryptionsalt` holds "pulumi" encrypted
 * with the key the passphrase derives, which is checked locally; no `pulumi stack export`). A KMS key
 * or Pulumi Cloud's own provider is named, not called. Nothing is generated: without stacks, what
 * setup would use is said.
 */
import type { PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import { createDecipheriv, pbkdf2 } from "node:crypto";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { CliError } from "../errors.js";
import { missingPassphraseError, resolvePassphrase, type Passphrase } from "../pulumi/passphrase.js";
import { describeSecretsProvider, stackSecretsProvider, usesPassphrase } from "../pulumi/secretsProvider.js";
import type { StackListing } from "../pulumi/stacks.js";
import type { PulumiTarget } from "../pulumi/stackTarget.js";
import type { ProgressReporter } from "../progress.js";
import { checkOf, type DoctorCheck } from "./report.js";

const NO_STACKS = checkOf("stack-secrets", "Secrets of existing stacks");

function stackCheck(name: string) {
  const check = checkOf("stack-secrets", `Secrets of stack ${name}`);
  const of = (result: DoctorCheck): DoctorCheck => ({ ...result, stack: name });
  return {
    ok: (detail: string) => of(check.ok(detail)),
    fail: (detail: string, fix: string) => of(check.fail(detail, fix)),
    unchecked: (detail: string, fix: string) => of(check.unchecked(detail, fix)),
  };
}

// Pulumi's passphrase provider: PBKDF2-SHA256 (1,000,000 rounds, 32 bytes) over the salt, and
// "v1:<salt>:v1:<nonce>:<AES-256-GCM ciphertext and tag>" holding "pulumi".
const ROUNDS = 1_000_000;
const PROOF = "pulumi";

/** True or false when the passphrase does or does not open the salt; undefined when its format is not known. */
export async function passphraseOpens(passphrase: string, encryptionSalt: string): Promise<boolean | undefined> {
  const parts = encryptionSalt.split(":");
  if (parts.length !== 5 || parts[0] !== "v1" || parts[2] !== "v1") return undefined;
  const [, salt, , nonce, sealed] = parts as [string, string, string, string, string];
  const key = await promisify(pbkdf2)(passphrase, Buffer.from(salt, "base64"), ROUNDS, 32, "sha256");
  const data = Buffer.from(sealed, "base64");
  if (data.length < 16) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(nonce, "base64"));
    decipher.setAuthTag(data.subarray(data.length - 16));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString() === PROOF;
  } catch {
    return false;
  }
}

/** The passphrase itself, as the Pulumi CLI would read it. */
async function passphraseText(found: Passphrase): Promise<string[]> {
  if (found.envVars.PULUMI_CONFIG_PASSPHRASE !== undefined) return [found.envVars.PULUMI_CONFIG_PASSPHRASE];
  const file = found.envVars.PULUMI_CONFIG_PASSPHRASE_FILE;
  if (file === undefined) return [];
  const text = await readFile(file, "utf8");
  return [...new Set([text, text.trim()])];
}

async function passphraseStack(name: string, found: Passphrase, encryptionSalt: string | undefined): Promise<DoctorCheck> {
  const check = stackCheck(name);
  if (found.missingFile !== undefined) {
    const error = missingPassphraseError(name, found.missingFile);
    return check.fail(error.message, error.hint!);
  }
  if (encryptionSalt === undefined) return check.ok(`a passphrase, from ${found.source}`);
  const candidates = await passphraseText(found);
  const answers = await Promise.all(candidates.map((candidate) => passphraseOpens(candidate, encryptionSalt)));
  if (answers.includes(true)) return check.ok(`a passphrase, from ${found.source}: it opens them`);
  if (answers.every((answer) => answer === undefined)) return check.ok(`a passphrase, from ${found.source} (not tried: unknown salt format)`);
  return check.fail(
    `the passphrase from ${found.source} does not open them`,
    "Set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE to this stack's passphrase, or restore the passphrase file census-pinpoint generated from your backup.",
  );
}

export interface StackSecretsOptions {
  target: PulumiTarget;
  backendUrl: string;
  pulumiCommand: PulumiCommand;
  onProgress: ProgressReporter;
}

/** One check per census-pinpoint stack, or one saying what a first setup would use. */
export async function checkStackSecrets(stacks: readonly StackListing[], options: StackSecretsOptions): Promise<DoctorCheck[]> {
  let found: Passphrase;
  try {
    found = await resolvePassphrase(options.target.env);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    return [NO_STACKS.fail(error.message, error.hint ?? "")];
  }
  const ours = stacks.filter((listing) => listing.ref !== undefined);
  if (ours.length === 0) {
    const next = found.missingFile !== undefined ? `setup will generate a passphrase into ${found.missingFile}` : `setup will use the passphrase from ${found.source}`;
    return [NO_STACKS.ok(`no census-pinpoint stacks in the backend yet; ${next}`)];
  }
  const { openStack } = await import("../pulumi/openStack.js");
  const checks: DoctorCheck[] = [];
  // One stack at a time: parallel Pulumi CLI runs from one process are not reliable (pulumi/pulumi#10523).
  for (const listing of ours) {
    const check = stackCheck(listing.name);
    try {
      const opened = await openStack(options.target, listing.ref!, { create: false, onProgress: options.onProgress, pulumiCommand: options.pulumiCommand });
      const settings = await opened.stack.workspace.stackSettings(opened.stack.name).catch(() => undefined);
      const provider = stackSecretsProvider(settings, options.backendUrl);
      if (usesPassphrase(provider)) checks.push(await passphraseStack(listing.name, found, settings?.encryptionSalt));
      else if (provider === "default") checks.push(check.ok(`${describeSecretsProvider(provider)}: opened by the account logged in to the backend`));
      else {
        checks.push(
          check.unchecked(
            `encrypted with ${describeSecretsProvider(provider)}; not opened (doctor makes no call with the key)`,
            "Whoever runs census-pinpoint on this stack needs kms:Encrypt and kms:Decrypt on that key (or the same on another provider's key).",
          ),
        );
      }
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      checks.push(check.fail(error.message, error.hint ?? `Run \`census-pinpoint status --stack ${listing.name} --verbose\` for details.`));
    }
  }
  return checks;
}
