/** A Pulumi update run from a command so that Ctrl-C, SIGTERM or SIGHUP stops it safely and says how to resume. */
import type { CommandContext } from "./context.js";
import { InterruptedError } from "../errors.js";
import { stopAtOnce, withGracefulInterrupt } from "../interrupt.js";
import { interruptedError } from "../pulumi/failure.js";

export async function runInterruptibly<T>(
  context: CommandContext,
  resume: { stackName: string; resumeCommand: string },
  update: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const outcome = await withGracefulInterrupt(update, {
    signals: context.signals,
    onSecond: stopAtOnce(context.io.exit),
    onFirst: (signal) =>
      context.render.warning(
        `${signal === "SIGINT" ? "Stopping" : `${signal} received: stopping`} safely: Pulumi finishes the operations in flight first. ` +
          "Another Ctrl-C (or signal) quits at once, which may leave resources half-done.",
      ),
  });
  if (outcome.error !== undefined) {
    // Whatever Pulumi reported after a stop signal, the run was stopped: say so, with the resume command.
    const { stoppedBy } = outcome;
    throw stoppedBy !== undefined && !(outcome.error instanceof InterruptedError) ? interruptedError({ ...resume, interruptedBy: stoppedBy }) : outcome.error;
  }
  return outcome.result as T;
}
