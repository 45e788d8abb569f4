/**
 * `doctor`: read-only, changes nothing. One line per check (Node.js, the Pulumi CLI, AWS credentials
 * and identity, the region, the administrator's permissions for setup, rotate-key and teardown, the
 * state backend, the secrets of each stack), each not in order with what to do. Exit 0 when nothing
 * failed, 3 without usable AWS credentials (AwsCredentialsError), 5 when a check failed
 * (VerificationError).
 */
import type { CommandOptions } from "./commandFlags.js";
import type { CommandContext } from "./context.js";
import { doctorFailure } from "../doctor/report.js";
import { runDoctor, type DoctorOptions } from "../doctor/runDoctor.js";

export interface DoctorCommandOptions extends DoctorOptions {
  json: boolean;
}

export function doctorOptions(flags: CommandOptions<"doctor">): DoctorCommandOptions {
  return {
    profile: flags.profile,
    region: flags.region,
    backendUrl: flags.backendUrl,
    json: flags.json === true,
  };
}

export async function doctorCommand(flags: CommandOptions<"doctor">, context: CommandContext): Promise<void> {
  const { render, io } = context;
  const options = doctorOptions(flags);
  const report = await runDoctor(options, { env: io.env, nodeVersion: process.version, pulumiCommand: context.pulumiCommand, onProgress: render.progress });
  if (options.json) render.json(report);
  else render.doctor(report);
  const failure = doctorFailure(report, { json: options.json });
  if (failure) throw failure;
}
