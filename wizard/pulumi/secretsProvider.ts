/**
 * Which Pulumi secrets provider encrypts a stack's secrets (the Census secret key among them). A team
 * shares a KMS key rather than a passphrase; Pulumi Cloud has its own; the local file backend keeps
 * the passphrase census-pinpoint generates.
 */
import { UsageError } from "../errors.js";
import { isServiceBackend } from "./backend.js";

/** The schemes `pulumi stack init --secrets-provider` accepts besides `passphrase` and (Pulumi Cloud) `default`. */
const KMS_SCHEMES = ["awskms", "azurekeyvault", "gcpkms", "hashivault"] as const;

/** `--secrets-provider`, checked against the backend before anything is made with it. */
export function checkSecretsProvider(flag: string | undefined, backendUrl: string): string | undefined {
  if (flag === undefined) return undefined;
  const value = flag.trim();
  if (value === "passphrase") return value;
  if (value === "default") {
    if (isServiceBackend(backendUrl)) return value;
    throw new UsageError(
      "--secrets-provider default is Pulumi Cloud's own secrets provider, and this stack's backend is not Pulumi Cloud.",
      "Use `--secrets-provider awskms://<key ID, ARN or alias/name>?region=<region>` for a KMS key your team can use, or leave the flag out for a passphrase.",
    );
  }
  const scheme = /^([a-z]+):\/\/./.exec(value)?.[1];
  if (scheme !== undefined && (KMS_SCHEMES as readonly string[]).includes(scheme)) return value;
  throw new UsageError(
    `--secrets-provider ${JSON.stringify(flag)} is not a secrets provider Pulumi knows.`,
    "Give `passphrase`, `default` (Pulumi Cloud only), or a key URL such as `awskms://alias/census?region=us-east-1` " +
      `(schemes: ${KMS_SCHEMES.map((name) => `${name}://`).join(", ")}).`,
  );
}

/** What a new stack is made with when the user named none: Pulumi Cloud's own, else a passphrase. */
export function defaultSecretsProvider(backendUrl: string): string {
  return isServiceBackend(backendUrl) ? "default" : "passphrase";
}

/**
 * The provider an existing stack uses, from its settings as restored from the backend: a KMS key or
 * `passphrase` by name; a passphrase's salt without a name; else the backend's default (Pulumi
 * Cloud's own there, a passphrase elsewhere).
 */
export function stackSecretsProvider(settings: { secretsProvider?: string; encryptionSalt?: string } | undefined, backendUrl: string): string {
  if (settings?.secretsProvider) return settings.secretsProvider;
  return settings?.encryptionSalt ? "passphrase" : defaultSecretsProvider(backendUrl);
}

export function usesPassphrase(provider: string): boolean {
  return provider === "passphrase";
}

/** A KMS key URL without its query (which may name an endpoint or profile), for messages. */
export function describeSecretsProvider(provider: string): string {
  if (provider === "passphrase") return "a passphrase";
  if (provider === "default") return "Pulumi Cloud's secrets provider";
  return provider.replace(/\?.*$/, "");
}
