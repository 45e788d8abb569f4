/** The Pulumi CLI census-pinpoint would use (PATH, else the one it installs), and its version. */
import type { PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import { CliError, MissingPulumiCliError } from "../errors.js";
import { ensurePulumiCli } from "../pulumi/pulumiCli.js";
import { INSTALL_HINT, MINIMUM_PULUMI_VERSION } from "../pulumi/requirements.js";
import { checkOf, type DoctorCheck } from "./report.js";

const CHECK = checkOf("pulumi-cli", `Pulumi CLI ${MINIMUM_PULUMI_VERSION} or newer`);

export interface PulumiCliCheck {
  check: DoctorCheck;
  /** The CLI, when it can be used: the backend and stack checks run through it. */
  command?: PulumiCommand;
}

export async function checkPulumiCli(options: { pulumiCommand?: PulumiCommand; env: NodeJS.ProcessEnv }): Promise<PulumiCliCheck> {
  try {
    const command = await ensurePulumiCli(options);
    const version = command.version?.version;
    return { check: CHECK.ok(version ? `version ${version} (${command.command})` : `found (${command.command}); version not checked`), command };
  } catch (error) {
    if (error instanceof MissingPulumiCliError) {
      return { check: CHECK.fail("not found on PATH", `${INSTALL_HINT}, or run \`census-pinpoint setup\` in a terminal: it offers to install it.`) };
    }
    if (error instanceof CliError) return { check: CHECK.fail(error.message, error.hint ?? INSTALL_HINT) };
    throw error;
  }
}
