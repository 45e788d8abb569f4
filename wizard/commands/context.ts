/** What a command runs with: the I/O host, the renderer, and what tests put in place of the real world. */
import type { PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import type { Prompter } from "../prompts.js";
import type { Renderer } from "../render.js";

/** The process's side of the CLI, handed over by the entry point (bin.ts): nothing else touches `process`'s streams, exit or env. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Ends the process at once: a second stop signal during an update does not wait. */
  exit: (code: number) => void;
}

/** What tests put in place of the real world: a fake Pulumi CLI, scripted answers. */
export interface CliOverrides {
  pulumiCommand?: PulumiCommand;
  prompter?: Prompter;
  /** Where Ctrl-C arrives (process by default): a test sends SIGINT without signalling its own runner. */
  signals?: Pick<NodeJS.Process, "on" | "off">;
}

/** The one owner of the streams, the environment and the questions. */
export interface IoHost {
  readonly stdout: CliIo["stdout"];
  readonly stderr: CliIo["stderr"];
  readonly env: NodeJS.ProcessEnv;
  /** False with --no-input or when stdin or stderr is not a terminal: then nothing may prompt. */
  readonly interactive: boolean;
  /** Who asks: the test's scripted prompter, else Inquirer on stdin, drawing on stderr. */
  prompter(): Prompter;
  /**
   * The rule for every question: none when `answered` (a flag such as --yes, --allow-replace or
   * --accept-end-of-support answered it already); in a terminal, ask; without one, throw `refusal`
   * (it names the flag to pass), or, for a question the run can do without, ask nothing.
   */
  mayAsk(answered: boolean, refusal?: () => Error): boolean;
  exit(code: number): void;
}

export interface CommandContext extends Omit<CliOverrides, "prompter"> {
  io: IoHost;
  render: Renderer;
}
