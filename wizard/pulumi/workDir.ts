/**
 * A stack's Pulumi work dir under CENSUS_PINPOINT_HOME: a cache of its project file and settings, so
 * `pulumi -C <workDir> stack output` works on the same stack; the state itself is in the backend.
 */
import { mkdir, readdir, rm } from "node:fs/promises";
import { PulumiError } from "../errors.js";

/**
 * The work dir holds only what census-pinpoint writes there (Pulumi.yaml and the stack's settings), so
 * something else at its path is damage the user must see, not a raw EEXIST/ENOTDIR from mkdir.
 */
export async function ensureWorkDir(workDir: string, stackName: string): Promise<void> {
  try {
    await mkdir(workDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EEXIST" && code !== "ENOTDIR") throw error;
    const where = code === "EEXIST" ? `${workDir} is a file` : `a folder above ${workDir} is a file`;
    throw new PulumiError(
      `The Pulumi work dir of stack ${stackName} cannot be created: ${where}.`,
      `Move that file away${code === "EEXIST" ? ` (e.g. \`mv ${workDir} ${workDir}.bak\`)` : ""} and run the command again: census-pinpoint recreates the work dir, and the stack's state is in its backend.`,
    );
  }
}

/**
 * Looking for a stack that does not exist leaves its work dir behind with only the project file in
 * it. A work dir that also holds a stack config file belongs to a stack in another backend (its config
 * carries the salt that stack's secrets need), so it stays.
 */
export async function removeUnusedWorkDir(workDir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(workDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  if (entries.every((entry) => entry === "Pulumi.yaml")) await rm(workDir, { recursive: true, force: true });
}
