/**
 * `--output-file`: the result as JSON in a file only the user can read (it holds the secret key).
 * The check runs before anything is created, so a refusal never comes after provisioning.
 *
 * The file is written the way a secret should be: into a new file of mode 0600 that no one else can
 * have opened (created exclusively, under a random name, in the same folder), flushed to disk, then
 * renamed into place. A reader never sees half a file, an old file's looser mode never carries over,
 * and a failure leaves nothing behind. A symbolic link at the target is refused, with --force too: it
 * could send the secret wherever the link points.
 */
import { constants } from "node:fs";
import { access, lstat, open, rename, stat, unlink } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { basename, dirname, join, resolve } from "node:path";
import { UsageError } from "./errors.js";

const AFTER_PROVISIONING_HINT = "The values are printed above; run `census-pinpoint credentials --format json --show-secret` to get them again.";

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

/** What is at `path` itself (a link is not followed), or undefined when nothing is. */
async function entryAt(path: string): Promise<"symlink" | "other" | undefined> {
  try {
    return (await lstat(path)).isSymbolicLink() ? "symlink" : "other";
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function symlinkMessage(path: string): string {
  return `--output-file: ${path} is a symbolic link; census-pinpoint does not write the secret key through one.`;
}

export async function checkOutputFile(path: string, force: boolean): Promise<void> {
  await checkFolder(path);
  const entry = await entryAt(path);
  if (entry === "symlink") throw new UsageError(symlinkMessage(path), "Name the file itself, in a folder only you can write (nothing was created).");
  if (entry !== undefined && !force) {
    throw new UsageError(`--output-file: ${path} already exists; census-pinpoint does not overwrite it.`, "Choose another file, or pass --force to overwrite it.");
  }
}

/** A new file of mode 0600 beside `path`, holding `text` on disk; its path. Removed again if anything fails. */
async function writeTemporary(path: string, text: string): Promise<string> {
  const temporary = join(dirname(resolve(path)), `.${basename(path)}.${randomBytes(8).toString("hex")}.tmp`);
  // "wx" is O_CREAT | O_EXCL: never a file (or link) that was already there.
  const file = await open(temporary, "wx", 0o600);
  try {
    try {
      // The mode given to open is narrowed by the umask; this makes it exactly 0600 whatever the umask.
      await file.chmod(0o600);
      await file.writeFile(text);
      await file.sync();
    } finally {
      await file.close();
    }
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
  return temporary;
}

export async function writeOutputFile(path: string, document: unknown, force: boolean): Promise<void> {
  const text = `${JSON.stringify(document, null, 2)}\n`;
  let temporary: string | undefined;
  try {
    temporary = await writeTemporary(path, text);
    // Checked again: setup ran for minutes, and the rename would replace whatever is there now.
    const entry = await entryAt(path);
    if (entry === "symlink") throw new UsageError(symlinkMessage(path), AFTER_PROVISIONING_HINT);
    if (entry !== undefined && !force) throw new UsageError(`--output-file: ${path} appeared while setup ran; it was not overwritten.`, AFTER_PROVISIONING_HINT);
    await rename(temporary, path);
  } catch (error) {
    if (temporary !== undefined) await unlink(temporary).catch(() => {});
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--output-file: cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`, AFTER_PROVISIONING_HINT);
  }
}
