/** Command lines the day-2 commands suggest (next steps, resume hints), naming the same stack and backend. */
import type { ParsedFlags } from "../cli.js";
import type { StackRef } from "../pulumi/workspace.js";
import { flagText } from "./flags.js";

function withTarget(parts: string[], flags: ParsedFlags): string {
  const backendUrl = flagText(flags, "backendUrl");
  const profile = flagText(flags, "profile");
  if (backendUrl !== undefined) parts.push(`--backend-url ${backendUrl}`);
  if (profile !== undefined) parts.push(`--profile ${profile}`);
  return parts.join(" ");
}

export function stackCommandLine(command: string, stackName: string, flags: ParsedFlags, extra: readonly string[] = []): string {
  return withTarget([`census-pinpoint ${command}`, ...extra, `--stack ${stackName}`], flags);
}

/** setup names its stack by region and project (it has no --stack). */
export function setupCommandLine(ref: StackRef, flags: ParsedFlags): string {
  return withTarget([`census-pinpoint setup --region ${ref.region} --project-id ${ref.projectId}`], flags);
}
