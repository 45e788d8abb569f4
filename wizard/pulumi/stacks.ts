/** The stacks of the census-pinpoint project in a backend, and how a stack name maps to its region and project. */
import { mkdir } from "node:fs/promises";
import type { PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import { PROJECT_NAME } from "../../infra/names.js";
import { PINPOINT_REGION_NAMES } from "../../infra/regions.js";
import { homePaths } from "../home.js";
import type { ProgressReporter } from "../progress.js";
import { loadAutomation } from "./automation.js";
import { resolveBackendUrl } from "./backend.js";
import { ensurePulumiCli } from "./pulumiCli.js";
import { pulumiFailureToCliError } from "./failure.js";
import { removeTruncatedMetadata } from "./truncatedMetadata.js";
import type { PulumiTarget, StackRef } from "./stackTarget.js";

export interface StackListing {
  name: string;
  /** Undefined when the name is not `<region>-<projectId>` (a stack made by hand with another name). */
  ref?: StackRef;
  /** ISO time of the last update, when there was one. */
  lastUpdate?: string;
  updateInProgress: boolean;
}

/** `<region>-<projectId>` back into its parts; the longest region name wins (`us-east-1` vs a made-up `us-east-1x`). */
export function parseStackName(name: string): StackRef | undefined {
  const region = [...PINPOINT_REGION_NAMES].sort((a, b) => b.length - a.length).find((candidate) => name.startsWith(`${candidate}-`));
  if (region === undefined) return undefined;
  const projectId = name.slice(region.length + 1);
  return projectId ? { region, projectId } : undefined;
}

/** Every stack of this project in the target's backend, oldest name first. Needs no passphrase. */
export async function listStacks(
  target: PulumiTarget,
  options: { pulumiCommand?: PulumiCommand; onProgress: ProgressReporter },
): Promise<StackListing[]> {
  const { env } = target;
  const home = homePaths(env);
  let backendUrl: string | undefined;
  try {
    const [automation, pulumiCommand, url] = await Promise.all([
      loadAutomation(),
      ensurePulumiCli({ pulumiCommand: options.pulumiCommand, env }),
      resolveBackendUrl(target.backendUrl, env, home),
      mkdir(home.projectDir, { recursive: true, mode: 0o700 }),
    ]);
    backendUrl = url;
    await removeTruncatedMetadata(url, options.onProgress);
    const workspace = await automation.LocalWorkspace.create({
      workDir: home.projectDir,
      pulumiCommand,
      envVars: { PULUMI_BACKEND_URL: url, PULUMI_SKIP_UPDATE_CHECK: "true" },
      projectSettings: { name: PROJECT_NAME, runtime: "nodejs", backend: { url } },
    });
    const stacks = await workspace.listStacks();
    return stacks
      // Pulumi Cloud qualifies names as <org>/<project>/<stack>; the stack part is what we name.
      .map((stack) => stack.name.split("/").at(-1) ?? stack.name)
      .map((name, i) => ({ name, ref: parseStackName(name), lastUpdate: stacks[i]?.lastUpdate, updateInProgress: stacks[i]?.updateInProgress ?? false }))
      .sort((a, b) => a.name.localeCompare(b.name));
  } catch (error) {
    throw pulumiFailureToCliError(error, { backendUrl });
  }
}
