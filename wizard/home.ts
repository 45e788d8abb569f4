/** Where the tool keeps its files: CENSUS_PINPOINT_HOME, default ~/.census-pinpoint. */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { UsageError } from "./errors.js";

export interface HomePaths {
  root: string;
  /** Default file backend: file://<root>/state */
  stateDir: string;
  /** A work dir for what concerns the project rather than one stack (listing stacks). */
  projectDir: string;
  /** One persistent Pulumi work dir per stack. */
  workDir(stack: string): string;
  /** Generated passphrase for the default passphrase secrets provider (mode 0600). */
  passphraseFile: string;
}

export function homePaths(env: NodeJS.ProcessEnv = process.env): HomePaths {
  const root = resolve(env.CENSUS_PINPOINT_HOME || join(homedir(), ".census-pinpoint"));
  return {
    root,
    stateDir: join(root, "state"),
    projectDir: join(root, "project"),
    workDir: (stack) => join(root, "workspaces", stack),
    passphraseFile: join(root, "passphrase"),
  };
}

export function defaultBackendUrl(paths: HomePaths): string {
  return `file://${paths.stateDir}`;
}

/**
 * Creates the home folder (0700) and proves it writable before anything else happens, so an unusable
 * CENSUS_PINPOINT_HOME is one clear message instead of a failure half-way through provisioning.
 */
export async function ensureHomeWritable(paths: HomePaths): Promise<void> {
  const probe = join(paths.root, `.write-test-${process.pid}`);
  try {
    await mkdir(paths.root, { recursive: true, mode: 0o700 });
    await writeFile(probe, "", { mode: 0o600 });
    await rm(probe, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    throw new UsageError(
      `census-pinpoint cannot write to its folder ${paths.root} (${code || (error as Error).message}).`,
      "Fix its permissions, or point CENSUS_PINPOINT_HOME at a folder you can write (it holds the stack state and the generated passphrase).",
    );
  }
}
