/**
 * A local (`file://`) backend keeps, next to each state file, a metadata file `<file>.attrs` (Go CDK's
 * fileblob). The state file itself is replaced atomically, but its metadata file is truncated and then
 * written in place: a run killed in between (SIGKILL, a crash, a full disk) leaves it empty, and from
 * then on every Pulumi command on the stack fails with "failed to load checkpoint: EOF" — seen on the
 * real engine after `kill -9` mid-update. A missing metadata file is read as "no metadata", so the
 * broken one is removed; the state files are never touched. Only census-pinpoint's own project folders
 * are looked at.
 */
import { readdir, readFile, unlink } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { PROJECT_NAME } from "../../infra/names.js";
import type { ProgressReporter } from "../progress.js";
import { localPath } from "./backend.js";

const METADATA_SUFFIX = ".attrs";

async function isReadable(file: string): Promise<boolean> {
  try {
    JSON.parse(await readFile(file, "utf8"));
    return true;
  } catch (error) {
    // Gone meanwhile (a concurrent run replaced it) is fine; empty or cut short is not.
    return (error as NodeJS.ErrnoException).code === "ENOENT";
  }
}

async function filesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** Removes the unreadable metadata files of this project's state; returns them, relative to the backend's folder. */
export async function removeTruncatedMetadata(backendUrl: string, onProgress: ProgressReporter): Promise<string[]> {
  if (!backendUrl.startsWith("file://")) return [];
  const root = localPath(backendUrl.replace(/\?.*$/, ""));
  const ours = (await filesBelow(join(root, ".pulumi"))).filter(
    (file) => file.endsWith(METADATA_SUFFIX) && relative(root, file).split(sep).includes(PROJECT_NAME),
  );
  const removed: string[] = [];
  for (const file of ours) {
    if (await isReadable(file)) continue;
    await unlink(file).catch(() => {});
    removed.push(relative(root, file));
  }
  if (removed.length > 0) {
    onProgress({
      kind: "warning",
      message:
        `A run that was stopped abruptly left ${removed.length === 1 ? "a metadata file" : `${removed.length} metadata files`} of the ` +
        `state empty (${removed.join(", ")}), which Pulumi cannot read; removed, as Pulumi does without them. The state itself is intact.`,
    });
  }
  return removed;
}
