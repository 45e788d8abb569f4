/**
 * The Pulumi CLI run in a session (and so a process group) of its own. A terminal's Ctrl-C or hang-up,
 * or a supervisor's SIGTERM to the whole group (systemd, a CI runner), then reaches census-pinpoint
 * only, and census-pinpoint cancels the update exactly once through the CLI's graceful path (one
 * SIGINT). Left in our group, the CLI would take a second signal as "stop now", and it dies of a
 * SIGHUP: either way the stack stays locked with resources half-made.
 *
 * It is the object LocalWorkspace accepts as `pulumiCommand`, with the SDK's own `run` contract
 * (@pulumi/pulumi 3.248 `automation/cmd.js`): `--non-interactive`, the CLI's folder first on PATH,
 * PULUMI_AUTOMATION_API, and a failure thrown as the SDK's CommandError. test/wizard/pulumi/isolatedCli
 * fails the day an SDK upgrade changes what this relies on.
 */
import { spawn } from "node:child_process";
import { delimiter, dirname, isAbsolute } from "node:path";
import type { PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import { loadAutomation } from "./automation.js";
import { trackRunning } from "./runningClis.js";

/** What the SDK exports at runtime but leaves out of its typings. */
export interface SdkCommandInternals {
  CommandResult: new (stdout: string, stderr: string, code: number, err?: Error) => object;
  createCommandError(result: object): Error;
}

type OnText = ((text: string) => void) | undefined;

/** execa, which the SDK runs the CLI with, strips one final newline from each stream. */
function withoutFinalNewline(text: string): string {
  return text.replace(/\r?\n$/, "");
}

/** `baseEnv`: the command's environment, which the CLI runs with (the SDK would run it with the process's). */
export async function isolatedCli(found: PulumiCommand, baseEnv: NodeJS.ProcessEnv): Promise<PulumiCommand> {
  const sdk = (await loadAutomation()) as unknown as SdkCommandInternals;
  const run = (args: string[], cwd: string, additionalEnv: Record<string, string>, onOutput?: OnText, onError?: OnText, signal?: AbortSignal) =>
    new Promise<object>((resolve, reject) => {
      const fullArgs = args.includes("--non-interactive") ? args : [...args, "--non-interactive"];
      const env: NodeJS.ProcessEnv = { ...baseEnv, ...additionalEnv, PULUMI_AUTOMATION_API: "true" };
      // The plugins bundled with the CLI must win over others on PATH.
      if (isAbsolute(found.command)) env.PATH = `${dirname(found.command)}${delimiter}${additionalEnv.PATH ?? baseEnv.PATH ?? ""}`;
      const child = spawn(found.command, fullArgs, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
      const untrack = trackRunning(child);
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        onOutput?.(chunk.toString());
      });
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        onError?.(chunk.toString());
      });
      const cancel = () => child.kill("SIGINT");
      signal?.addEventListener("abort", cancel, { once: true });
      const settle = () => {
        untrack();
        signal?.removeEventListener("abort", cancel);
      };
      child.on("error", (error) => {
        settle();
        reject(sdk.createCommandError(new sdk.CommandResult("", error.message, -2, error)));
      });
      child.on("close", (code) => {
        settle();
        const result = new sdk.CommandResult(withoutFinalNewline(stdout), withoutFinalNewline(stderr), code ?? -1);
        if (code === 0) resolve(result);
        else reject(sdk.createCommandError(result));
      });
    });
  return Object.assign(Object.create(Object.getPrototypeOf(found) as object) as PulumiCommand, found, { run });
}
