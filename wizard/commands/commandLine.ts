/** Command lines the day-2 commands suggest (next steps, resume hints), naming the same stack and backend. */
import type { ParsedFlags } from "../cli.js";
import { flagText } from "./flags.js";

export function stackCommandLine(command: string, stackName: string, flags: ParsedFlags, extra: readonly string[] = []): string {
  const parts = [`census-pinpoint ${command}`, ...extra, `--stack ${stackName}`];
  const backendUrl = flagText(flags, "backendUrl");
  const profile = flagText(flags, "profile");
  if (backendUrl !== undefined) parts.push(`--backend-url ${backendUrl}`);
  if (profile !== undefined) parts.push(`--profile ${profile}`);
  return parts.join(" ");
}
