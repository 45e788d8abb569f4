/** Where the tool keeps its files: CENSUS_PINPOINT_HOME, default ~/.census-pinpoint. */
import { existsSync, realpathSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
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

/** Throws UsageError when CENSUS_PINPOINT_HOME lies on a file system of the kernel (/proc, /sys). */
export function homePaths(env: NodeJS.ProcessEnv): HomePaths {
  const root = resolve(withTildeExpanded(env.CENSUS_PINPOINT_HOME, env) || join(homedir(), ".census-pinpoint"));
  refuseKernelFileSystem(root);
  return {
    root,
    stateDir: join(root, "state"),
    projectDir: join(root, "project"),
    workDir: (stack) => join(root, "workspaces", stack),
    passphraseFile: join(root, "passphrase"),
  };
}

/**
 * The shell expands a tilde only when it is not quoted, so CENSUS_PINPOINT_HOME='~/cp' arrives as
 * written; taken literally it would make a folder named "~" in the current directory. Expanded here as
 * the shell would have done it, from HOME.
 */
function withTildeExpanded(path: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const userHome = env.HOME || homedir();
  if (path === "~") return userHome;
  return path?.startsWith("~/") ? join(userHome, path.slice(2)) : path;
}

// Nothing can be kept on these. On procfs, creating a folder fails with ENOENT although its parent exists, and
// Node's recursive mkdir answers that by creating the parent and trying again, forever: every command
// would hang at its first use of the home folder (some reach /proc through a link, like /dev/fd).
const KERNEL_FILE_SYSTEMS = ["/proc", "/sys"];

function refuseKernelFileSystem(root: string): void {
  let existing = root;
  while (!existsSync(existing)) existing = dirname(existing);
  let real: string;
  try {
    real = realpathSync(existing);
  } catch {
    // Not readable: the first write into the folder fails with the error code that says why.
    return;
  }
  const mount = KERNEL_FILE_SYSTEMS.find((kernel) => real === kernel || real.startsWith(`${kernel}/`));
  if (mount !== undefined) {
    throw new UsageError(
      `census-pinpoint cannot write to its folder ${root} (${mount} is the kernel's own file system: nothing can be kept there).`,
      "Point CENSUS_PINPOINT_HOME at a folder on a disk you can write (default ~/.census-pinpoint): it holds the stack state and the generated passphrase.",
    );
  }
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
