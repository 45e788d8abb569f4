/** Finding (or, with the user's consent, installing) a Pulumi CLI that is new enough. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import { CliError, PulumiError } from "../errors.js";
import { homePaths } from "../home.js";
import { loadAutomation } from "./automation.js";
import { isMissingCli, pulumiFailureToCliError } from "./failure.js";
import { isolatedCli } from "./isolatedCli.js";
import { INSTALL_HINT, MINIMUM_PULUMI_VERSION } from "./requirements.js";

/** Where `installPulumiCli` puts a CLI by default, and where `ensurePulumiCli` looks after PATH. */
export function defaultInstallRoot(env: NodeJS.ProcessEnv): string {
  return join(homePaths(env).root, "pulumi");
}

/** The SDK's own switch, honoured for an injected command too. */
function versionCheckSkipped(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK);
}

function checkVersion(command: PulumiCommand, env: NodeJS.ProcessEnv): PulumiCommand {
  if (versionCheckSkipped(env) || !command.version || command.version.compare(MINIMUM_PULUMI_VERSION) >= 0) return command;
  throw new PulumiError(
    `The Pulumi CLI is version ${command.version.version}; census-pinpoint needs ${MINIMUM_PULUMI_VERSION} or newer.`,
    `Upgrade it: ${INSTALL_HINT} (with Homebrew: \`brew upgrade pulumi\`).`,
  );
}

/** A plain Error from `PulumiCommand.get` is its version check refusing what `pulumi version` printed. */
function unusableCli(error: unknown): unknown {
  // Our own verdict (checkVersion: too old) passes as it is, not as "cannot be used: …" around it.
  if (error instanceof CliError) return error;
  const mapped = pulumiFailureToCliError(error);
  if (mapped !== error || !(error instanceof Error)) return mapped;
  return new PulumiError(`The Pulumi CLI cannot be used: ${error.message}`, `${INSTALL_HINT} (version ${MINIMUM_PULUMI_VERSION} or newer).`);
}

/**
 * The CLI on PATH, else one `installPulumiCli` put in the default root, run in a session of its own
 * (isolatedCli.ts); an injected command (tests) gets the same version check. Our own check instead of
 * `PulumiCommand.get({ version })`: that option wants a `semver` object, and semver is not a
 * dependency of this package.
 */
export async function ensurePulumiCli(options: { pulumiCommand?: PulumiCommand; env: NodeJS.ProcessEnv }): Promise<PulumiCommand> {
  if (options.pulumiCommand) return checkVersion(options.pulumiCommand, options.env);
  const { PulumiCommand } = await loadAutomation();
  const skipVersionCheck = versionCheckSkipped(options.env);
  let found: PulumiCommand;
  try {
    found = checkVersion(await PulumiCommand.get({ skipVersionCheck }), options.env);
  } catch (error) {
    const root = defaultInstallRoot(options.env);
    if (!isMissingCli(error) || !existsSync(join(root, "bin", "pulumi"))) throw unusableCli(error);
    try {
      found = checkVersion(await PulumiCommand.get({ root, skipVersionCheck }), options.env);
    } catch (fromRoot) {
      throw unusableCli(fromRoot);
    }
  }
  return isolatedCli(found, options.env);
}

/**
 * Downloads Pulumi's install script and installs the CLI matching this SDK into `root`. Runs only
 * after the user agreed: it fetches and executes code from get.pulumi.com.
 */
export async function installPulumiCli(root: string, env: NodeJS.ProcessEnv): Promise<PulumiCommand> {
  const { PulumiCommand } = await loadAutomation();
  try {
    return await isolatedCli(await PulumiCommand.install({ root }), env);
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    throw new PulumiError(`Installing the Pulumi CLI into ${root} failed: ${reason}`, `Install it yourself: ${INSTALL_HINT}`);
  }
}
