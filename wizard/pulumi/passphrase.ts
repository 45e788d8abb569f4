/**
 * The passphrase that encrypts the stack's secrets (the Census secret key among them), for Pulumi's
 * passphrase secrets provider: the user's, from the environment, or one generated once and kept in
 * CENSUS_PINPOINT_HOME.
 */
import { randomBytes } from "node:crypto";
import { mkdir, stat, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { UsageError } from "../errors.js";
import { homePaths } from "../home.js";
import type { ProgressReporter } from "../progress.js";

export interface Passphrase {
  /** What to hand the workspace: the passphrase itself only if the user gave it that way. */
  envVars: Record<string, string>;
  /** Where it comes from, for error messages: never the passphrase. */
  source: string;
}

/**
 * Resolves to false when the file does not exist; refuses one other users can read or write (a
 * writable one could be swapped for a passphrase they know before a stack is created with it).
 */
async function checkPrivate(file: string, origin: string): Promise<boolean> {
  let mode: number;
  try {
    mode = (await stat(file)).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
  // Windows has no POSIX modes to check.
  if (process.platform !== "win32" && (mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(4, "0");
    throw new UsageError(
      `${origin} ${file} is open to other users (mode ${octal}), and it unlocks the stack's secrets.`,
      `Run \`chmod 600 ${file}\` and try again.`,
    );
  }
  return true;
}

async function generate(file: string, root: string): Promise<boolean> {
  await mkdir(root, { recursive: true, mode: 0o700 });
  try {
    await writeFile(file, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
    return true;
  } catch (error) {
    // Another run created it in the meantime: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/**
 * PULUMI_CONFIG_PASSPHRASE (even empty, as Pulumi itself reads it), else PULUMI_CONFIG_PASSPHRASE_FILE,
 * else the generated file, created on first use when `create` allows it.
 */
export async function resolvePassphrase(
  env: NodeJS.ProcessEnv,
  onProgress: ProgressReporter,
  { create = true }: { create?: boolean } = {},
): Promise<Passphrase> {
  if (env.PULUMI_CONFIG_PASSPHRASE !== undefined) {
    return { envVars: { PULUMI_CONFIG_PASSPHRASE: env.PULUMI_CONFIG_PASSPHRASE }, source: "PULUMI_CONFIG_PASSPHRASE" };
  }
  if (env.PULUMI_CONFIG_PASSPHRASE_FILE) {
    // The CLI runs in the stack's work dir, so a relative path must be made absolute here.
    const file = resolve(env.PULUMI_CONFIG_PASSPHRASE_FILE);
    if (!(await checkPrivate(file, "PULUMI_CONFIG_PASSPHRASE_FILE"))) {
      throw new UsageError(`PULUMI_CONFIG_PASSPHRASE_FILE names ${file}, which does not exist.`, "Point it at the file that holds the stack's passphrase.");
    }
    return { envVars: { PULUMI_CONFIG_PASSPHRASE_FILE: file }, source: `PULUMI_CONFIG_PASSPHRASE_FILE (${file})` };
  }
  const home = homePaths(env);
  const file = home.passphraseFile;
  const source = `the passphrase file ${file}`;
  if (!(await checkPrivate(file, "The passphrase file"))) {
    if (!create) return { envVars: {}, source: `no passphrase (${file} does not exist)` };
    if (await generate(file, home.root)) {
      onProgress({
        kind: "info",
        message: `Generated a passphrase for the stack's secrets in ${file}: keep it and back it up, without it the stack's secrets (the Census secret key among them) cannot be read.`,
      });
    }
  }
  return { envVars: { PULUMI_CONFIG_PASSPHRASE_FILE: file }, source };
}
