/**
 * A stop signal while Pulumi is updating: Ctrl-C (SIGINT), SIGTERM from a supervisor (CI cancel,
 * `docker stop`, systemd) or SIGHUP from a closed terminal. The Pulumi CLI runs in a session of its
 * own (pulumi/isolatedCli.ts), so only this process gets the signal; it cancels the update once,
 * through the abort signal (whose reason names the signal), and Pulumi finishes what is in flight and
 * releases the stack's lock. This process stays alive meanwhile: the inline Pulumi program runs in
 * it. A second signal of any kind stops the CLI at once and exits.
 */
import { SIGNAL_EXIT_CODES, STOP_SIGNALS, type StopSignal } from "./errors.js";
import { stopPulumiNow } from "./pulumi/runningClis.js";

export interface InterruptHandling {
  /** Called on the first stop signal (tell the user it is stopping safely). */
  onFirst: (signal: StopSignal) => void;
  /** Called on the second: `stopAtOnce`, or a test's recorder. */
  onSecond: (signal: StopSignal) => void;
  /** Where the signals arrive; a test passes its own emitter. */
  signals?: Pick<NodeJS.Process, "on" | "off">;
}

let updating = 0;

/** Whether a graceful stop is in charge of the signals now (the top-level handler then keeps out). */
export function updateInProgress(): boolean {
  return updating > 0;
}

/** The stop signal an aborted update's signal carries, if it was aborted by one. */
export function stopSignalOf(signal: AbortSignal | undefined): StopSignal | undefined {
  return signal?.aborted ? (STOP_SIGNALS.find((name) => name === signal.reason) ?? "SIGINT") : undefined;
}

/** What a second signal does: the Pulumi CLI stopped at once, and the process ended with the signal's code. */
export function stopAtOnce(exit: (code: number) => void): (signal: StopSignal) => void {
  return (signal) => {
    stopPulumiNow();
    exit(SIGNAL_EXIT_CODES[signal]);
  };
}

export async function withGracefulInterrupt<T>(
  work: (signal: AbortSignal) => Promise<T>,
  { onFirst, onSecond, signals = process }: InterruptHandling,
): Promise<{ result?: T; error?: unknown; stoppedBy?: StopSignal }> {
  const controller = new AbortController();
  let stoppedBy: StopSignal | undefined;
  const handlers = STOP_SIGNALS.map((name) => {
    const handler = () => {
      if (stoppedBy !== undefined) return onSecond(name);
      stoppedBy = name;
      onFirst(name);
      controller.abort(name);
    };
    signals.on(name, handler);
    return [name, handler] as const;
  });
  updating += 1;
  try {
    return { result: await work(controller.signal), stoppedBy };
  } catch (error) {
    return { error, stoppedBy };
  } finally {
    updating -= 1;
    for (const [name, handler] of handlers) signals.off(name, handler);
  }
}
