/**
 * The passphrase that encrypts the stack's secrets (the Census secret key among them), for Pulumi's
 * passphrase secrets provider: the user's, from the environment, or one generated once and kept in
 * CENSUS_PINPOINT_HOME.
 */
import { randomBytes } from "node:crypto";
import type { Stats } from "node:fs";
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
  /** Set when there is none yet: the generated file that would hold it. `generatePassphrase` makes it. */
  missingFile?: string;
}

/**
 * Resolves to false when the file does not exist; refuses one other users can read or write (a
 * writable one could be swapped for a passphrase they know before a stack is created with it).
 */
async function checkPrivate(file: string, origin: string): Promise<boolean> {
  let stats: Stats;
  try {
    stats = await stat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
  if (stats.isDirectory()) {
    throw new UsageError(`${origin} ${file} is a folder, not a file holding the passphrase.`, "Point it at the file that holds the passphrase itself.");
  }
  const { mode } = stats;
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
 * PULUMI_CONFIG_PASSPHRASE, else PULUMI_CONFIG_PASSPHRASE_FILE, else the generated file. Nothing is
 * generated here: a stack that exists must never get a new passphrase (it could not read its own
 * secrets with it), so only the caller, which knows whether the stack exists, calls generatePassphrase.
 */
export async function resolvePassphrase(env: NodeJS.ProcessEnv): Promise<Passphrase> {
  if (env.PULUMI_CONFIG_PASSPHRASE !== undefined) {
    // Pulumi would take "" as a passphrase; set but empty is nearly always a CI secret that is not configured.
    if (env.PULUMI_CONFIG_PASSPHRASE === "") {
      throw new UsageError(
        "PULUMI_CONFIG_PASSPHRASE is set but empty.",
        "Set it to the passphrase of the stack's secrets (in CI: check that the secret is configured), or unset it to use the passphrase file census-pinpoint generates.",
      );
    }
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
  const file = homePaths(env).passphraseFile;
  if (!(await checkPrivate(file, "The passphrase file"))) return { envVars: {}, source: `no passphrase (${file} does not exist)`, missingFile: file };
  return { envVars: { PULUMI_CONFIG_PASSPHRASE_FILE: file }, source: `the passphrase file ${file}` };
}

/** The passphrase for a stack that does not exist yet: generated once into `missingFile` (another run's wins). */
export async function generatePassphrase(missingFile: string, env: NodeJS.ProcessEnv, onProgress: ProgressReporter): Promise<Passphrase> {
  if (await generate(missingFile, homePaths(env).root)) {
    onProgress({
      kind: "info",
      message: `Generated a passphrase for the stack's secrets in ${missingFile}: keep it and back it up, without it the stack's secrets (the Census secret key among them) cannot be read.`,
    });
  }
  return { envVars: { PULUMI_CONFIG_PASSPHRASE_FILE: missingFile }, source: `the passphrase file ${missingFile}` };
}

/** An existing stack, and no passphrase anywhere: what to restore, and why none is made. */
export function missingPassphraseError(stackName: string, missingFile: string): UsageError {
  return new UsageError(
    `No passphrase for the secrets of stack ${stackName}: PULUMI_CONFIG_PASSPHRASE and PULUMI_CONFIG_PASSPHRASE_FILE are not set, and ${missingFile} does not exist.`,
    `If census-pinpoint generated the stack's passphrase, restore ${missingFile} from your backup (mode 0600); if you chose it, set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE again. ` +
      "A new passphrase could not read the stack's secrets, so none is made.",
  );
}
