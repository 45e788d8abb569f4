/**
 * How the component and the stack program refuse a bad argument or config value: as a Pulumi RunError,
 * which Pulumi prints as its message alone, under `pulumi up` and in any program that imports the
 * component; any other error thrown by a program is printed with its stack trace. The checks are
 * validation.ts's, which the CLI also runs on its own flags and answers (and which stays free of the
 * Pulumi SDK, so the CLI starts without loading it).
 */
import * as pulumi from "@pulumi/pulumi";
import { InvalidInputError, type InputField } from "./validation.js";

export class InvalidArgumentError extends pulumi.RunError {
  override readonly name = "InvalidArgumentError";
  constructor(
    /** The argument, named as its `census-pinpoint:` config key. */
    readonly field: InputField,
    reason: string,
  ) {
    const message = `${field}: ${reason}`;
    super(message);
    // A refused output rejects every resource input it feeds, and the SDK prefixes the message of the
    // same error object with the property path each time it fails to serialize one ("error serializing
    // property \"policy\": …", once per resource): the argument and the reason say it better alone.
    Object.defineProperty(this, "message", { get: () => message, set: () => undefined, enumerable: false, configurable: true });
  }
}

/** Runs a check; its InvalidInputError becomes an InvalidArgumentError, with the same reason. */
export function refusing<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof InvalidInputError) throw new InvalidArgumentError(error.field, error.message);
    throw error;
  }
}

/**
 * An argument given as another resource's output (or a promise), checked once its value is known; a
 * plain value is returned as it is, for the caller checks those with the other arguments, before
 * anything is declared. A refused value rejects the output, which fails every resource that uses it:
 * the update stops with the reason, and nothing is created from the bad value.
 */
export function checkedWhenKnown(value: pulumi.Input<string>, check: (value: string) => string): pulumi.Input<string> {
  if (typeof value === "string") return value;
  return pulumi.output(value).apply((known) => refusing(() => check(known)));
}

/** A plain value, for the checks made up front; undefined for an output or a promise. */
export function plainValue(value: pulumi.Input<string> | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}
