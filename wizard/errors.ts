/**
 * Every failure the CLI reports is one of these typed errors; `exitCodeFor` is the one place that maps
 * errors to exit codes (listed in `census-pinpoint --help` and README.md). Messages say what happened
 * and what to do, and never contain a secret.
 */
import { InvalidInputError } from "../infra/validation.js";

export const EXIT = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  aws: 3,
  pulumi: 4,
  verification: 5,
  /** Ctrl-C (SIGINT); SIGTERM and SIGHUP end the same way, with the shell's codes for them. */
  interrupted: 130,
  terminated: 143,
  hungUp: 129,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The signals that stop census-pinpoint, each handled as Ctrl-C is. */
export type StopSignal = "SIGINT" | "SIGTERM" | "SIGHUP";

export const STOP_SIGNALS: readonly StopSignal[] = ["SIGINT", "SIGTERM", "SIGHUP"];

export const SIGNAL_EXIT_CODES: Record<StopSignal, ExitCode> = { SIGINT: EXIT.interrupted, SIGTERM: EXIT.terminated, SIGHUP: EXIT.hungUp };

/** Base class: `hint` is the next step for the user, printed under the message. */
export abstract class CliError extends Error {
  abstract readonly exitCode: ExitCode;
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad flags, a missing required value under --no-input, an invalid answer. Exit 2. */
export class UsageError extends CliError {
  readonly exitCode = EXIT.usage;
}

/** The named stack does not exist in the backend (teardown treats this as nothing to do). Exit 2. */
export class MissingStackError extends UsageError {}

/** No, expired or insufficient AWS credentials; AccessDenied. Exit 3. */
export class AwsCredentialsError extends CliError {
  readonly exitCode = EXIT.aws;
}

/** Any other AWS API failure that stops the command (timeouts, bucket taken by another account). Exit 3. */
export class AwsRequestError extends CliError {
  readonly exitCode = EXIT.aws;
}

/** The Pulumi CLI is missing or too old, the backend is unreachable, an update failed, a stack is locked. Exit 4. */
export class PulumiError extends CliError {
  readonly exitCode = EXIT.pulumi;
}

/** No Pulumi CLI at all (as opposed to one too old): setup may offer to install it. Exit 4. */
export class MissingPulumiCliError extends PulumiError {}

/** `verify` found a check that fails. Exit 5. */
export class VerificationError extends CliError {
  readonly exitCode = EXIT.verification;
}

/** Ctrl-C in a prompt or during provisioning, or SIGTERM or SIGHUP. Exit 130, 143 or 129. */
export class InterruptedError extends CliError {
  readonly exitCode: ExitCode;
  constructor(
    message: string,
    hint?: string,
    readonly signal: StopSignal = "SIGINT",
  ) {
    super(message, hint);
    this.exitCode = SIGNAL_EXIT_CODES[signal];
  }
}

export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof InvalidInputError) return EXIT.usage;
  return EXIT.unexpected;
}
