/** A Pulumi update run from a command so that Ctrl-C stops it safely and says how to resume. */
import type { CommandContext } from "../cli.js";
import { InterruptedError } from "../errors.js";
import { withGracefulInterrupt } from "../interrupt.js";
import { interruptedError } from "../pulumi/failure.js";

export async function runInterruptibly<T>(
  context: CommandContext,
  resume: { stackName: string; resumeCommand: string },
  update: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const outcome = await withGracefulInterrupt(update, {
    fromTerminal: Boolean(context.io.stdin.isTTY),
    signals: context.signals,
    onFirst: () =>
      context.render.warning("Stopping safely: Pulumi finishes the operations in flight first. Press Ctrl-C again to quit at once (that may leave resources half-done)."),
  });
  if (outcome.error !== undefined) {
    // Whatever Pulumi reported after a Ctrl-C, the user stopped it: say so, with the resume command.
    throw outcome.interrupted && !(outcome.error instanceof InterruptedError) ? interruptedError(resume) : outcome.error;
  }
  return outcome.result as T;
}
