/**
 * A clone of this repository as the README's "With `pulumi up`" section uses it: the project's
 * Pulumi.yaml, program and policy pack beside the repository's node_modules (what `npm ci` installs),
 * with the real `pulumi` run in it against a local state backend of its own. The program runs as it
 * does for users: through the Node.js language host, under tsx.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, symlinkSync } from "node:fs";
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

export interface IacClone {
  dir: string;
  /** Runs `pulumi <args>` in the clone (no colours, no prompts). */
  pulumi(args: string[]): PulumiRun;
  /** Like pulumi(), but a non-zero exit throws with what the CLI printed. */
  ok(args: string[]): string;
}

export function iacClone(e2e: E2eContext): IacClone {
  const dir = join(e2e.home, "clone");
  const state = join(e2e.home, "iac-state");
  mkdirSync(state, { recursive: true });
  for (const file of PROJECT_FILES) cpSync(join(REPO, file), join(dir, file), { recursive: true });
  symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"));
  const env = { ...e2e.env(), PULUMI_BACKEND_URL: `file://${state}`, PULUMI_CONFIG_PASSPHRASE: "iac" };

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
