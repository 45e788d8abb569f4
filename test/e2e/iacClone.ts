/**
 * A clone of this repository as the README's "With `pulumi up`" section uses it: the project's
 * Pulumi.yaml, program and policy pack beside the repository's node_modules (what `npm ci` installs),
 * or only what `npm ci --omit=dev` installs, with the real `pulumi` run in it against a local state
 * backend of its own. The program runs as it does for users: through the Node.js language host, under
 * tsx. pulumiProject runs `pulumi` the same way in any other project folder.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { E2eContext } from "./harness.js";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const PROJECT_FILES = ["Pulumi.yaml", "package.json", "infra", "policy"];

export interface PulumiRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface PulumiProject {
  dir: string;
  /** Runs `pulumi <args>` in the project (no colours, no prompts). */
  pulumi(args: string[]): PulumiRun;
  /** Like pulumi(), but a non-zero exit throws with what the CLI printed. */
  ok(args: string[]): string;
}

export type IacClone = PulumiProject;

export interface IacCloneOptions {
  /**
   * "production": node_modules holds only what `npm ci --omit=dev` installs at its top (dependencies,
   * peers and what they need, by the lockfile), linked from the repository's; "all" (the default):
   * the repository's node_modules, what `npm ci` installs.
   */
  dependencies?: "all" | "production";
}

/** The top-level packages of package-lock.json that npm installs without dev dependencies. */
function linkProductionDependencies(dir: string): void {
  const lock = JSON.parse(readFileSync(join(REPO, "package-lock.json"), "utf8")) as { packages: Record<string, { dev?: boolean }> };
  for (const [path, entry] of Object.entries(lock.packages)) {
    // A platform's optional binary for another platform is in the lockfile, not in node_modules.
    if (!/^node_modules\/(@[^/]+\/)?[^/]+$/.test(path) || entry.dev || !existsSync(join(REPO, path))) continue;
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    symlinkSync(join(REPO, path), join(dir, path));
  }
}

export function iacClone(e2e: E2eContext, options: IacCloneOptions = {}): IacClone {
  const dir = join(e2e.home, "clone");
  for (const file of PROJECT_FILES) cpSync(join(REPO, file), join(dir, file), { recursive: true });
  if (options.dependencies === "production") linkProductionDependencies(dir);
  else symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"));
  return pulumiProject(e2e, dir, "iac");
}

/** The real `pulumi` in `dir`, against a local state backend `<name>-state` in the e2e home, passphrase `name`. */
export function pulumiProject(e2e: E2eContext, dir: string, name: string): PulumiProject {
  const state = join(e2e.home, `${name}-state`);
  mkdirSync(state, { recursive: true });
  const env = { ...e2e.env(), PULUMI_BACKEND_URL: `file://${state}`, PULUMI_CONFIG_PASSPHRASE: name };

  const pulumi = (args: string[]): PulumiRun => {
    const result = spawnSync("pulumi", [...args, "--non-interactive", "--color", "never"], { cwd: dir, env, encoding: "utf8", timeout: 150_000 });
    if (result.error) throw result.error;
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  return {
    dir,
    pulumi,
    ok(args) {
      const run = pulumi(args);
      if (run.status !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${run.status}:\n${run.stdout}\n${run.stderr}`);
      return run.stdout;
    },
  };
}
