/**
 * Ctrl-C while Pulumi is updating. The first interrupt must reach the Pulumi CLI exactly once, so it
 * cancels gracefully (a second SIGINT makes Pulumi abandon operations mid-flight). From a terminal, the
 * terminal already sends SIGINT to the whole foreground process group, the CLI child included, so we
 * only wait; without a terminal (e.g. `kill -INT` from a supervisor) only this process got it, so it is
 * forwarded once through the abort signal. This process stays alive meanwhile: the inline Pulumi
 * program runs inside it. A second interrupt exits at once.
 */
import { EXIT } from "./errors.js";

export interface InterruptHandling {
  /** Whether the terminal delivers SIGINT to child processes itself. */
  fromTerminal: boolean;
  /** Called on the first interrupt (tell the user it is stopping safely). */
  onFirst: () => void;
  /** Called on the second interrupt; defaults to exiting with 130. */
  onSecond?: () => void;
  /** Where SIGINT arrives; a test passes its own emitter. */
  signals?: Pick<NodeJS.Process, "on" | "off">;
}

export async function withGracefulInterrupt<T>(
  work: (signal: AbortSignal) => Promise<T>,
  { fromTerminal, onFirst, onSecond = () => process.exit(EXIT.interrupted), signals = process }: InterruptHandling,
): Promise<{ result?: T; error?: unknown; interrupted: boolean }> {
  const controller = new AbortController();
  let interrupts = 0;
  const handler = () => {
    interrupts += 1;
    if (interrupts > 1) return onSecond();
    onFirst();
    if (!fromTerminal) controller.abort();
  };
  signals.on("SIGINT", handler);
  try {
    return { result: await work(controller.signal), interrupted: interrupts > 0 };
  } catch (error) {
    return { error, interrupted: interrupts > 0 };
  } finally {
    signals.off("SIGINT", handler);
  }
}
