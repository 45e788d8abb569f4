/** Where the tool keeps its files: CENSUS_PINPOINT_HOME, default ~/.census-pinpoint. */
import { homedir } from "node:os";
import { join, resolve } from "node:path";

export interface HomePaths {
  root: string;
  /** Default file backend: file://<root>/state */
  stateDir: string;
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
    workDir: (stack) => join(root, "workspaces", stack),
    passphraseFile: join(root, "passphrase"),
  };
}

export function defaultBackendUrl(paths: HomePaths): string {
  return `file://${paths.stateDir}`;
}
