/**
 * After an update that failed or was stopped, the engine shuts its resource monitor while the inline
 * program (which runs in census-pinpoint's own process) may still have calls in flight. The SDK
 * (@pulumi/pulumi 3.248, runtime/resource.ts) rejects those as "Resource monitor is terminating" and
 * leaves the rejection unhandled on purpose, after its own handler for the run is gone: Node would
 * then crash with exit 1 and a stack trace, after census-pinpoint had already reported the update's
 * real failure. Seen with the real engine only.
 */
const SHUTDOWN_ECHO = /^Resource monitor (is terminating|shut down)/;

export function isEngineShutdownEcho(reason: unknown): boolean {
  return reason instanceof Error && SHUTDOWN_ECHO.test(reason.message);
}

/** Lets those rejections pass silently; every other unhandled rejection still ends the process. */
export function ignoreEngineShutdownEchoes(on: Pick<NodeJS.Process, "on"> = process): void {
  on.on("unhandledRejection", (reason: unknown) => {
    if (!isEngineShutdownEcho(reason)) throw reason;
  });
}
