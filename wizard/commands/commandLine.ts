/** Command lines the day-2 commands suggest (next steps, resume hints), naming the same stack and backend. */
import type { StackRef } from "../pulumi/stackTarget.js";
import { flagSpelling, type OptionsOf } from "./flagRegistry.js";

/** The options that say where a stack is kept. */
type TargetOptions = OptionsOf<"backendUrl" | "profile">;

function withTarget(parts: string[], options: TargetOptions): string {
  if (options.backendUrl !== undefined) parts.push(`${flagSpelling("backendUrl")} ${options.backendUrl}`);
  if (options.profile !== undefined) parts.push(`${flagSpelling("profile")} ${options.profile}`);
  return parts.join(" ");
}

export function stackCommandLine(command: string, stackName: string, options: TargetOptions, extra: readonly string[] = []): string {
  return withTarget([`census-pinpoint ${command}`, ...extra, `${flagSpelling("stack")} ${stackName}`], options);
}

/** setup names its stack by region and project (it has no --stack). */
export function setupCommandLine(ref: StackRef, options: TargetOptions): string {
  return withTarget([`census-pinpoint setup ${flagSpelling("region")} ${ref.region} ${flagSpelling("projectId")} ${ref.projectId}`], options);
}
