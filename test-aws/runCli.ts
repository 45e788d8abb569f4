/**
 * The built CLI (dist/wizard/bin.js) as a child process, as CI would run it: its exit code, the one
 * JSON document on its stdout, and its stderr, which is echoed as it comes (the steps take minutes)
 * with anything secret-shaped cut out.
 */
import { spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { redactSecrets } from "../wizard/redact.js";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const CLI_BIN = join(REPO, "dist/wizard/bin.js");

export interface CliRun {
  command: string;
  code: number | null;
  /** The parsed stdout; undefined when stdout was not one JSON document. */
  document: any;
  stdout: string;
  stderr: string;
  seconds: number;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<CliRun> {
  const command = `census-pinpoint ${args.join(" ")}`;
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let pending = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const lines = (pending + chunk.toString()).split("\n");
      pending = lines.pop()!;
      for (const line of lines) process.stderr.write(`    │ ${redactSecrets(line)}\n`);
    });
    // SIGINT, as from a terminal: the CLI stops a Pulumi operation safely on it.
    const timer = setTimeout(() => child.kill("SIGINT"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (pending) process.stderr.write(`    │ ${redactSecrets(pending)}\n`);
      let document: unknown;
      try {
        document = JSON.parse(stdout);
      } catch {
        document = undefined;
      }
      resolvePromise({ command, code, document, stdout, stderr, seconds: (Date.now() - started) / 1000 });
    });
  });
}
