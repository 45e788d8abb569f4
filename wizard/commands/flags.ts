/** What the commands make of their options: setup's inputs, the Pulumi target, a flag's value parsed. */
import { InvalidInputError } from "../../infra/validation.js";
import { UsageError } from "../errors.js";
import type { SetupFlags } from "../setup/resolveInputs.js";
import type { PulumiTarget } from "../pulumi/stackTarget.js";
import type { CommandContext } from "./context.js";
import { flagSpelling, type FlagKey, type OptionsOf } from "./flagRegistry.js";

export function setupFlags(options: OptionsOf<keyof SetupFlags>): SetupFlags {
  const { region, projectId, bucketName, expirationDays, importerRoleName, censusUserName, kmsKeyArn } = options;
  return { region, projectId, bucketName, expirationDays, importerRoleName, censusUserName, kmsKeyArn };
}

/** Backend and AWS profile from the flags, else the environment. */
export function pulumiTargetFrom(options: OptionsOf<"backendUrl" | "profile" | "secretsProvider">, context: CommandContext): PulumiTarget {
  return {
    backendUrl: options.backendUrl,
    profile: options.profile ?? context.io.env.AWS_PROFILE,
    secretsProvider: options.secretsProvider,
    env: context.io.env,
  };
}

/** A flag's value parsed: what the parser refuses is a usage error (exit 2) that names the flag. */
export function parsedFlag<T>(key: FlagKey, value: string, parse: (value: string) => T): T {
  try {
    return parse(value);
  } catch (error) {
    if (error instanceof InvalidInputError) throw new UsageError(`${flagSpelling(key)}: ${error.message}`);
    throw error;
  }
}
