/**
 * Bounded waiting for AWS to catch up with a new access key or policy. One budget serves a whole
 * verification, so however many calls wait, the run waits at most `maxWaitMs` in total.
 */
import type { ProgressReporter } from "../progress.js";

export const DEFAULT_MAX_WAIT_MS = 60_000;
const FIRST_DELAY_MS = 1_000;

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RetryBudget {
  /** Milliseconds of waiting left. */
  remaining(): number;
  /** Milliseconds waited so far. */
  waited(): number;
  /** Waits up to `ms` (less when the budget is nearly spent) and says so; false when nothing is left. */
  wait(ms: number, reason: string): Promise<boolean>;
}

export function createRetryBudget(options: { maxWaitMs: number; sleep: Sleep; onProgress: ProgressReporter }): RetryBudget {
  let waited = 0;
  const remaining = () => Math.max(options.maxWaitMs - waited, 0);
  return {
    remaining,
    waited: () => waited,
    async wait(ms, reason) {
      const delay = Math.min(ms, remaining());
      if (delay <= 0) return false;
      options.onProgress({ kind: "waiting", message: `${reason}; trying again in ${formatSeconds(delay)}` });
      await options.sleep(delay);
      waited += delay;
      return true;
    },
  };
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

/**
 * Calls `attempt` until it succeeds, or fails for a reason `transient` does not name, or the budget is
 * spent; the delay doubles each time. The last error is rethrown as it came.
 */
export async function retryWhileTransient<T>(
  budget: RetryBudget,
  attempt: () => Promise<T>,
  transient: (error: unknown) => string | undefined,
): Promise<T> {
  for (let delay = FIRST_DELAY_MS; ; delay *= 2) {
    try {
      return await attempt();
    } catch (error) {
      const reason = transient(error);
      if (reason === undefined || !(await budget.wait(delay, reason))) throw error;
    }
  }
}
