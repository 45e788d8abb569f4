/**
 * The Pulumi CLI processes running now. Apart from isolatedCli.ts, which starts them, because the
 * signal handling that stops them is loaded at start-up and must not load child_process and the SDK
 * with it (`npm run bench`: --help and the first prompt).
 */
import type { ChildProcess } from "node:child_process";

const running = new Set<ChildProcess>();

/** Counts the child as running; the function returned ends that (when it has exited or failed to start). */
export function trackRunning(child: ChildProcess): () => void {
  running.add(child);
  return () => running.delete(child);
}

/**
 * A second stop signal: the CLI gets its second SIGINT, which makes it abandon what is in flight.
 * Called just before census-pinpoint exits at once.
 */
export function stopPulumiNow(): void {
  for (const child of running) child.kill("SIGINT");
}
