// The Pulumi CLI in a session of its own, with the SDK's `run` contract (@pulumi/pulumi 3.248
// automation/cmd.js): a stand-in `pulumi` script reports what it was given. Fails the day an SDK
// upgrade changes the result or error types this relies on.
import { CommandError, ConcurrentUpdateError, PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isolatedCli } from "../../../wizard/pulumi/isolatedCli.js";
import { stopPulumiNow } from "../../../wizard/pulumi/runningClis.js";

/** The SDK's `run`, marked internal and so left out of its typings: what LocalWorkspace calls. */
interface RunnableCli {
  run(
    args: string[],
    cwd: string,
    additionalEnv: Record<string, string>,
    onOutput?: (text: string) => void,
    onError?: (text: string) => void,
    signal?: AbortSignal,
  ): Promise<{ stdout: string; stderr: string; code: number }>;
}

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "census-pinpoint-isolated-cli-"));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A `pulumi` whose body is the given shell script; the returned command runs it as isolatedCli does. */
async function cliRunning(script: string): Promise<RunnableCli> {
  const command = join(dir, "pulumi");
  writeFileSync(command, `#!/bin/sh\n${script}\n`);
  chmodSync(command, 0o755);
  // The SDK's own object, as PulumiCommand.get() would return it for this path.
  const found = Object.assign(Object.create(PulumiCommand.prototype) as PulumiCommand, { command, version: null });
  return (await isolatedCli(found, process.env)) as unknown as RunnableCli;
}

test("a run gets --non-interactive, PULUMI_AUTOMATION_API, the CLI's folder first on PATH and a process group of its own", async () => {
  const cli = await cliRunning(
    'echo "args=$*"; echo "api=$PULUMI_AUTOMATION_API"; echo "path=${PATH%%:*}"; echo "extra=$EXTRA"; ' +
      'if [ "$(ps -o pgid= -p $$ | tr -d " ")" = "$$" ]; then echo "group=own"; else echo "group=parent"; fi',
  );
  const result = await cli.run(["stack", "ls"], dir, { EXTRA: "passed", PATH: "/usr/bin:/bin" });
  expect(result.code).toBe(0);
  expect(result.stdout).toBe([`args=stack ls --non-interactive`, "api=true", `path=${dir}`, "extra=passed", "group=own"].join("\n"));
  expect(result.stderr).toBe("");
});

test("what the CLI prints reaches the callbacks as it comes, and the result keeps it without the final newline", async () => {
  const cli = await cliRunning('echo "to stdout"; echo "to stderr" >&2');
  const seen: string[] = [];
  const result = await cli.run(["up"], dir, {}, (text) => seen.push(`out:${text}`), (text) => seen.push(`err:${text}`));
  expect(seen.sort()).toEqual(["err:to stderr\n", "out:to stdout\n"]);
  expect([result.stdout, result.stderr]).toEqual(["to stdout", "to stderr"]);
});

test("a failure is the SDK's typed error: a held lock reads as ConcurrentUpdateError, anything else as CommandError with the CLI's words", async () => {
  const locked = await cliRunning('echo "error: the stack is currently locked by 1 lock(s)... [409] Conflict: Another update is currently in progress." >&2; exit 255');
  await expect(locked.run(["up"], dir, {})).rejects.toBeInstanceOf(ConcurrentUpdateError);

  const failing = await cliRunning('echo "error: the passphrase does not unlock" >&2; exit 1');
  const error = await failing.run(["up"], dir, {}).catch((failure: unknown) => failure);
  expect(error).toBeInstanceOf(CommandError);
  expect((error as Error).message).toContain("error: the passphrase does not unlock");
  expect((error as Error).message).toContain("code: 1");
});

test("an abort sends the CLI one SIGINT (its graceful cancel), and a second stop signal sends another", async () => {
  const cli = await cliRunning('trap \'echo "SIGINT"; n=$((n+1)); [ "$n" -ge 2 ] && exit 130\' INT; n=0; echo ready; while :; do sleep 0.05; done');
  const controller = new AbortController();
  let printed = "";
  const run = cli.run(["up"], dir, {}, (text) => {
    printed += text;
    if (text.includes("ready") && !controller.signal.aborted) {
      controller.abort("SIGTERM");
      setTimeout(stopPulumiNow, 200);
    }
  }, undefined, controller.signal);
  const error = await run.catch((failure: unknown) => failure);
  expect(error).toBeInstanceOf(CommandError);
  expect(printed.split("\n").filter(Boolean)).toEqual(["ready", "SIGINT", "SIGINT"]);
});

test("a CLI that cannot be started is a CommandError that says why", async () => {
  const command = join(dir, "missing", "pulumi");
  const found = Object.assign(Object.create(PulumiCommand.prototype) as PulumiCommand, { command, version: null });
  const cli = (await isolatedCli(found, process.env)) as unknown as RunnableCli;
  const error = await cli.run(["version"], dir, {}).catch((failure: unknown) => failure);
  expect(error).toBeInstanceOf(CommandError);
  expect((error as Error).message).toContain("ENOENT");
});
