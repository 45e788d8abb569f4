/**
 * How the day-2 commands find their stack: --stack, or --region with --project-id; otherwise the only
 * stack in the backend, or (in a terminal) one picked from a list.
 */
import { stackName } from "../../infra/names.js";
import { InvalidInputError, validateRegion } from "../../infra/validation.js";
import type { CommandContext, ParsedFlags } from "../cli.js";
import { MissingStackError, UsageError } from "../errors.js";
import { createInquirerPrompter } from "../prompts.js";
import { listStacks, parseStackName } from "../pulumi/stacks.js";
import type { PulumiTarget, StackRef } from "../pulumi/workspace.js";
import { flagText, pulumiTargetFrom } from "./flags.js";

export interface SelectedStack {
  target: PulumiTarget;
  ref: StackRef;
  name: string;
}

function regionFlag(value: string): string {
  try {
    return validateRegion(value);
  } catch (error) {
    if (error instanceof InvalidInputError) throw new UsageError(`--region: ${error.message}`);
    throw error;
  }
}

/** --stack names the region and project too: a --region or --project-id that says otherwise is a mistake in one of them. */
function refuseDisagreement(named: string, ref: StackRef, region: string | undefined, projectId: string | undefined): void {
  const conflicts = [
    region !== undefined && region.trim() !== ref.region ? `--region ${region} (the stack's region is ${ref.region})` : undefined,
    projectId !== undefined && projectId.trim() !== ref.projectId ? `--project-id ${projectId} (the stack's project is ${ref.projectId})` : undefined,
  ].filter((conflict) => conflict !== undefined);
  if (conflicts.length > 0) {
    throw new UsageError(`--stack ${named} does not match ${conflicts.join(" and ")}.`, "Pass --stack alone, or --region and --project-id without --stack.");
  }
}

export async function selectStack(flags: ParsedFlags, context: CommandContext): Promise<SelectedStack> {
  const target = pulumiTargetFrom(flags, context);
  const named = flagText(flags, "stack");
  const region = flagText(flags, "region");
  const projectId = flagText(flags, "projectId");
  if (named !== undefined) {
    const ref = parseStackName(named);
    if (!ref) throw new UsageError(`--stack: "${named}" is not a census-pinpoint stack name (<region>-<projectId>, e.g. us-east-1-0123456789abcdef0123456789abcdef).`);
    refuseDisagreement(named, ref, region, projectId);
    return { target, ref, name: named };
  }
  if (region !== undefined && projectId !== undefined) {
    const ref = { region: regionFlag(region), projectId: projectId.trim() };
    return { target, ref, name: stackName(ref.region, ref.projectId) };
  }
  const all = await listStacks(target, { pulumiCommand: context.pulumiCommand, onProgress: context.render.progress });
  const candidates = all.filter(
    (stack) => stack.ref && (region === undefined || stack.ref.region === region) && (projectId === undefined || stack.ref.projectId === projectId),
  );
  const wanted = [region && `region ${region}`, projectId && `project ${projectId}`].filter(Boolean).join(" and ");
  if (candidates.length === 0) {
    throw new MissingStackError(
      `No census-pinpoint stack${wanted ? ` for ${wanted}` : ""} in the backend ${target.backendUrl ?? context.io.env.PULUMI_BACKEND_URL ?? "under CENSUS_PINPOINT_HOME"}.`,
      "Run `census-pinpoint setup` first, or pass the --backend-url the stack was created with.",
    );
  }
  const only = candidates.length === 1 ? candidates[0] : undefined;
  if (only?.ref) {
    context.render.info(`Using stack ${only.name}.`);
    return { target, ref: only.ref, name: only.name };
  }
  if (!context.interactive) {
    throw new UsageError(
      `${candidates.length} census-pinpoint stacks match: ${candidates.map((stack) => stack.name).join(", ")}.`,
      "Pass --stack <name>, or --region and --project-id.",
    );
  }
  const prompter = context.prompter ?? createInquirerPrompter();
  const chosen = await prompter.chooseStack(
    candidates.map((stack) => ({ name: stack.name, detail: stack.lastUpdate ? `last updated ${stack.lastUpdate}` : "never updated" })),
  );
  const ref = parseStackName(chosen)!;
  return { target, ref, name: chosen };
}
