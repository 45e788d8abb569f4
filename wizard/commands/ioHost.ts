/** The I/O host a run's commands share: built once per run from the entry point's streams. */
import { createInquirerPrompter, type Prompter } from "../prompts.js";
import type { CliIo, IoHost } from "./context.js";

export function createIoHost(io: CliIo, options: { prompter?: Prompter; noInput: boolean }): IoHost {
  // Prompts draw on stderr: with stderr redirected to a file they would be invisible.
  const interactive = !options.noInput && Boolean(io.stdin.isTTY) && Boolean(io.stderr.isTTY);
  let prompter = options.prompter;
  return {
    stdout: io.stdout,
    stderr: io.stderr,
    env: io.env,
    interactive,
    prompter: () => (prompter ??= createInquirerPrompter({ input: io.stdin, output: io.stderr })),
    mayAsk(answered, refusal) {
      if (answered) return false;
      if (interactive) return true;
      if (refusal) throw refusal();
      return false;
    },
    exit: io.exit,
  };
}
