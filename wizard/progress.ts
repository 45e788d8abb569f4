/**
 * How the core (preflight, Automation API driver, AWS checks) tells the UI what is happening without
 * printing: it calls a `ProgressReporter` with these events, and render.ts decides what to show.
 */
export type ProgressEvent =
  /** A step of the command began (e.g. "Checking AWS credentials"). */
  | { kind: "step"; message: string }
  /** Something the user should know that does not stop the command. */
  | { kind: "warning"; message: string }
  /** A neutral fact worth a line (e.g. "Using AWS account 123456789012 as arn:..."). */
  | { kind: "info"; message: string }
  /** A resource operation from the Pulumi engine. */
  | {
      kind: "resource";
      phase: "start" | "done" | "failed";
      op: string;
      /** The Pulumi type token and logical name, by which failures are matched to resources. */
      type: string;
      name: string;
      /** The resource as a person knows it, by its AWS name: "S3 bucket census-pinpoint-staging-…". */
      what: string;
      elapsedMs?: number;
      error?: string;
    }
  /** Raw engine output: shown only with --verbose. */
  | { kind: "engine-output"; line: string }
  /** The core is waiting and retrying (e.g. a new access key that IAM has not propagated yet). */
  | { kind: "waiting"; message: string };

export type ProgressReporter = (event: ProgressEvent) => void;

export const silentProgress: ProgressReporter = () => {};
