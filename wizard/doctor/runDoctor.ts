/**
 * `doctor`'s checks, in the order a user reads them: Node.js, the Pulumi CLI, AWS credentials and
 * identity, the region, the administrator's permissions per command, the state backend, and the
 * secrets of each stack. Read-only: no AWS resource, stack or passphrase is made or changed. Never
 * prints: the report goes back to the command, which renders it.
 */
import type { PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import { stat } from "node:fs/promises";
import { isPinpointRegion } from "../../infra/regions.js";
import { configuredRegion } from "../aws/configuredRegion.js";
import { CliError } from "../errors.js";
import { homePaths } from "../home.js";
import type { ProgressReporter } from "../progress.js";
import { localPath } from "../pulumi/backend.js";
import type { StackListing } from "../pulumi/stacks.js";
import type { AwsTarget } from "../aws/target.js";
import type { PulumiTarget } from "../pulumi/stackTarget.js";
import { backendUrlOf, checkBackend } from "./backend.js";
import { checkCredentials } from "./credentials.js";
import { checkNode } from "./node.js";
import { checkAdminPermissions } from "./permissions.js";
import { checkPulumiCli } from "./pulumiCli.js";
import { checkRegion } from "./region.js";
import { checkOf, reportOf, type DoctorCheck, type DoctorReport } from "./report.js";
import { checkStackSecrets } from "./secrets.js";

/** The project ID whose default names the permissions are simulated on when the backend has no stack. */
export const EXAMPLE_PROJECT_ID = "0123456789abcdef0123456789abcdef";

export interface DoctorOptions {
  profile?: string;
  region?: string;
  backendUrl?: string;
}

export interface DoctorEnvironment {
  env: NodeJS.ProcessEnv;
  /** process.version, or another in tests. */
  nodeVersion: string;
  pulumiCommand?: PulumiCommand;
  onProgress: ProgressReporter;
}

async function regionOf(options: DoctorOptions, env: NodeJS.ProcessEnv): Promise<{ region?: string; source?: string }> {
  if (options.region) return { region: options.region, source: "--region" };
  for (const variable of ["AWS_REGION", "AWS_DEFAULT_REGION"] as const) {
    if (env[variable]) return { region: env[variable], source: variable };
  }
  const profile = options.profile || env.AWS_PROFILE || "default";
  const region = await configuredRegion(options.profile, env);
  return region ? { region, source: `AWS profile "${profile}"` } : {};
}

/** A file backend that does not exist yet holds no stacks: nothing to list, and nothing is made. */
async function mayHoldStacks(url: string): Promise<boolean> {
  if (url.includes("://") && !url.startsWith("file://")) return true;
  return stat(localPath(url.replace(/\?.*$/, ""))).then(
    () => true,
    () => false,
  );
}

export async function runDoctor(options: DoctorOptions, environment: DoctorEnvironment): Promise<DoctorReport> {
  const { env, onProgress } = environment;
  const home = homePaths(env);
  const profile = options.profile ?? env.AWS_PROFILE;
  const { region, source } = await regionOf(options, env);
  const regionCheck = checkRegion(region, source);
  // IAM and STS answer from any region; a region without Pinpoint still tells who the credentials are.
  const aws: AwsTarget = { region: regionCheck.region ?? (region && /^[a-z]{2}(-[a-z]+)+-\d$/.test(region) ? region : "us-east-1"), profile, env };

  onProgress({ kind: "step", message: "Checking the Pulumi CLI and AWS credentials" });
  const [pulumi, credentials] = await Promise.all([checkPulumiCli({ pulumiCommand: environment.pulumiCommand, env }), checkCredentials(aws)]);

  onProgress({ kind: "step", message: "Checking the state backend" });
  const backend = backendUrlOf(options.backendUrl, env, home);
  const backendCheck = await checkBackend(backend.url, { env, aws: credentials.identity ? aws : undefined, pulumiCommand: pulumi.command });

  const target: PulumiTarget = { backendUrl: backend.url, profile, env };
  let stacks: StackListing[] = [];
  let secrets: DoctorCheck[];
  const secretsCheck = checkOf("stack-secrets", "Secrets of existing stacks");
  if (pulumi.command === undefined) {
    secrets = [secretsCheck.unchecked("could not check without a Pulumi CLI (above)", "Install the Pulumi CLI first.")];
  } else if (backendCheck.status === "fail" || (backendCheck.status === "unchecked" && credentials.identity === undefined)) {
    secrets = [secretsCheck.unchecked("could not check: the backend cannot be used (above)", "Fix the backend first.")];
  } else {
    try {
      if (await mayHoldStacks(backend.url)) {
        onProgress({ kind: "step", message: "Reading the stacks in the backend" });
        const { listStacks } = await import("../pulumi/stacks.js");
        stacks = await listStacks(target, { pulumiCommand: pulumi.command, onProgress });
      }
      secrets = await checkStackSecrets(stacks, { target, backendUrl: backend.url, pulumiCommand: pulumi.command, onProgress });
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      secrets = [secretsCheck.fail(error.message, error.hint ?? "Run the command again with --verbose for details.")];
    }
  }

  if (credentials.identity) onProgress({ kind: "step", message: "Asking IAM's policy simulator about the permissions of each command" });
  // The names of the first stack in the region, else those a stack of the example project would get.
  const stackRef = stacks.find((listing) => listing.ref && (regionCheck.region === undefined || listing.ref.region === regionCheck.region))?.ref;
  const scopeRegion = regionCheck.region ?? (stackRef && isPinpointRegion(stackRef.region) ? stackRef.region : undefined);
  const scope = scopeRegion ? { region: scopeRegion, projectId: stackRef?.projectId ?? EXAMPLE_PROJECT_ID } : undefined;
  const permissions = await checkAdminPermissions(aws, credentials.identity, scope);

  return reportOf(
    [checkNode(environment.nodeVersion), pulumi.check, credentials.check, regionCheck.check, ...permissions, backendCheck, ...secrets],
    credentials.identity === undefined,
  );
}
