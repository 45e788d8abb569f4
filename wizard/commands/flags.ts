/** Typed views of the flags commander parsed, shared by the commands. */
import type { ParsedFlags } from "../cli.js";
import type { SetupFlags } from "../inputs.js";

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
