/** Typed views of the flags commander parsed, shared by the commands. */
import { InvalidInputError } from "../../infra/validation.js";
import type { CommandContext, ParsedFlags } from "../cli.js";
import { UsageError } from "../errors.js";
import type { SetupFlags } from "../setup/resolveInputs.js";
import type { PulumiTarget } from "../pulumi/workspace.js";

function text(value: string | boolean | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function setupFlags(flags: ParsedFlags): SetupFlags {
  return {
    region: text(flags.region),
    projectId: text(flags.projectId),
    bucketName: text(flags.bucketName),
    expirationDays: text(flags.expirationDays),
    importerRoleName: text(flags.importerRoleName),
    censusUserName: text(flags.censusUserName),
    kmsKeyArn: text(flags.kmsKeyArn),
  };
}

export function flagText(flags: ParsedFlags, key: string): string | undefined {
  return text(flags[key]);
}

/** Backend and AWS profile from the flags, else the environment. */
export function pulumiTargetFrom(flags: ParsedFlags, context: CommandContext): PulumiTarget {
  return {
    backendUrl: flagText(flags, "backendUrl"),
    profile: flagText(flags, "profile") ?? context.io.env.AWS_PROFILE,
    secretsProvider: flagText(flags, "secretsProvider"),
    env: context.io.env,
  };
}

/** A flag's value parsed: what the parser refuses is a usage error (exit 2) that names the flag. */
export function parsedFlag<T>(flag: string, value: string, parse: (value: string) => T): T {
  try {
    return parse(value);
  } catch (error) {
    if (error instanceof InvalidInputError) throw new UsageError(`${flag}: ${error.message}`);
    throw error;
  }
}
