/** Streams for `main(argv, io)` that record what the CLI wrote, as a terminal or as pipes. */
import type { EventEmitter } from "node:events";
import type { PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import { PassThrough } from "node:stream";
import { main } from "../../wizard/cli.js";
import type { CliIo } from "../../wizard/commands/context.js";
import type { FakePulumi } from "./fakePulumi.js";
import { scriptedPrompter, type Script } from "./scriptedPrompter.js";

export interface CapturedIo {
  io: CliIo;
  stdout(): string;
  stderr(): string;
}

/** `terminal: true` makes stdin and stderr TTYs (interactive); colour stays off unless env allows it. */
export function captureIo(env: NodeJS.ProcessEnv, { terminal = false }: { terminal?: boolean } = {}): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  const stream = (sink: string[], isTTY: boolean) =>
    Object.assign(
      {
        write(chunk: string | Uint8Array) {
          sink.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString());
          return true;
        },
      } as unknown as NodeJS.WritableStream,
      { isTTY },
    );
  return {
    io: {
      stdout: stream(out, false),
      stderr: stream(err, terminal),
      stdin: Object.assign(new PassThrough(), { isTTY: terminal }),
      env: { NO_COLOR: "1", ...env },
      // A second stop signal ends the process at once: in a test that would end the test runner.
      exit: (code) => {
        throw new Error(`the CLI exited at once with code ${code}`);
      },
    },
    stdout: () => out.join(""),
    stderr: () => err.join(""),
  };
}

export interface CliRunOptions {
  /** CENSUS_PINPOINT_HOME of the run. */
  home: string;
  fake?: FakePulumi;
  script?: Script;
  terminal?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Where the test sends SIGINT, instead of this process. */
  signals?: EventEmitter;
}

/**
 * `main()` as the command line runs it, on this process's environment with a temp home, the fake
 * Pulumi CLI and scripted answers. `code` is left pending, so a test can interrupt a run in flight.
 */
export function runCli(argv: string[], options: CliRunOptions) {
  const captured = captureIo({ ...process.env, CENSUS_PINPOINT_HOME: options.home, ...options.env }, { terminal: options.terminal });
  const scripted = scriptedPrompter(options.script ?? {});
  const code = main(argv, captured.io, {
    pulumiCommand: options.fake as unknown as PulumiCommand,
    prompter: scripted.prompter,
    signals: options.signals as unknown as NodeJS.Process | undefined,
  });
  return { code, ...captured, ...scripted };
}

/** The first line of the error the CLI ended with, without its "✖ " marker (failed steps before it have one too). */
export function lastErrorLine(stderr: string): string {
  return stderr.split("\n").findLast((text) => text.startsWith("✖ "))?.slice(2) ?? "";
}
