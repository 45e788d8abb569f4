/**
 * `--output-file`: the result as JSON in a file only the user can read (it holds the secret key).
 * The check runs before anything is created, so a refusal never comes after provisioning.
 */
import { constants } from "node:fs";
import { access, chmod, stat, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { UsageError } from "./errors.js";

/** The file's folder must exist and take a new file: finding out after provisioning would be too late. */
async function checkFolder(path: string): Promise<void> {
  const folder = dirname(resolve(path));
  const problem = await stat(folder).then(
    (stats) => (stats.isDirectory() ? access(folder, constants.W_OK | constants.X_OK).then(() => undefined, () => "cannot be written") : "is not a folder"),
    (error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? "does not exist" : `cannot be read (${error.code ?? error.message})`),
  );
  if (problem !== undefined) {
    throw new UsageError(`--output-file: the folder ${folder} ${problem}.`, "Choose a file in a folder you can write (nothing was created).");
  }
}

export async function checkOutputFile(path: string, force: boolean): Promise<void> {
  await checkFolder(path);
  if (force) return;
  const exists = await access(path).then(
    () => true,
    () => false,
  );
  if (exists) {
    throw new UsageError(`--output-file: ${path} already exists; census-pinpoint does not overwrite it.`, "Choose another file, or pass --force to overwrite it.");
  }
}

export async function writeOutputFile(path: string, document: unknown, force: boolean): Promise<void> {
  const text = `${JSON.stringify(document, null, 2)}\n`;
  try {
    await writeFile(path, text, { mode: 0o600, flag: force ? "w" : "wx" });
    // An overwritten file keeps its old mode; the secret must not stay readable by others.
    await chmod(path, 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === "EEXIST" ? `--output-file: ${path} appeared while setup ran; it was not overwritten.` : `--output-file: cannot write ${path} (${code ?? (error as Error).message}).`,
      "The values are printed above; run `census-pinpoint credentials --format json --show-secret` to get them again.",
    );
  }
}
