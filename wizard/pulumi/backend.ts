/** Which Pulumi backend holds the state, and where its stack locks live. */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { PROJECT_NAME } from "../../infra/names.js";
import { defaultBackendUrl, type HomePaths } from "../home.js";

/** `--backend-url`, else PULUMI_BACKEND_URL, else the file backend under CENSUS_PINPOINT_HOME (created here). */
export async function resolveBackendUrl(flag: string | undefined, env: NodeJS.ProcessEnv, home: HomePaths): Promise<string> {
  const chosen = flag || env.PULUMI_BACKEND_URL;
  if (chosen) return chosen;
  await mkdir(home.stateDir, { recursive: true, mode: 0o700 });
  return defaultBackendUrl(home);
}

/** Pulumi Cloud (or a self-hosted Pulumi service) speaks HTTP; every other scheme is a DIY backend. */
export function isServiceBackend(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

/** A `file://` backend as a local path, so a user can act on it with ordinary tools. */
export function localPath(location: string): string {
  return location.startsWith("file://") ? location.slice("file://".length) : location;
}

/**
 * Where a DIY backend keeps this stack's lock files: project-scoped layout, the default for new
 * backends since Pulumi 3.61.
 */
export function lockDirectory(backendUrl: string, stackName: string): string {
  const root = localPath(backendUrl.replace(/\?.*$/, ""));
  return root.includes("://")
    ? `${root.replace(/\/+$/, "")}/.pulumi/locks/organization/${PROJECT_NAME}/${stackName}/`
    : join(root, ".pulumi", "locks", "organization", PROJECT_NAME, stackName) + "/";
}
