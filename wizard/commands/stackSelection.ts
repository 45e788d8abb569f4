/**
 * How the day-2 commands find their stack: --stack, or --region with --project-id; otherwise the only
 * stack in the backend, or (in a terminal) one picked from a list.
 */
import { stackName } from "../../infra/names.js";
import { validateRegion } from "../../infra/validation.js";
import type { StackOptions } from "./commandFlags.js";
import type { CommandContext } from "./context.js";
import { flagSpelling, withFlags } from "./flagRegistry.js";
import { MissingStackError, UsageError } from "../errors.js";
import { listStacks, parseStackName } from "../pulumi/stacks.js";
import type { PulumiTarget, StackRef } from "../pulumi/stackTarget.js";
import { parsedFlag, pulumiTargetFrom } from "./flags.js";

export interface SelectedStack {
  target: PulumiTarget;
  ref: StackRef;
  name: string;
}

/** --stack names the region and project too: a --region or --project-id that says otherwise is a mistake in one of them. */
function refuseDisagreement(named: string, ref: StackRef, region: string | undefined, projectId: string | undefined): void {
  const conflicts = [
    region !== undefined && region.trim() !== ref.region ? `${flagSpelling("region")} ${region} (the stack's region is ${ref.region})` : undefined,
    projectId !== undefined && projectId.trim() !== ref.projectId ? `${flagSpelling("projectId")} ${projectId} (the stack's project is ${ref.projectId})` : undefined,
  ].filter((conflict) => conflict !== undefined);
  if (conflicts.length > 0) {
    throw new UsageError(`${flagSpelling("stack")} ${named} does not match ${conflicts.join(" and ")}.`, withFlags`Pass ${"stack"} alone, or ${"region"} and ${"projectId"} without ${"stack"}.`);
  }
}

export async function selectStack(flags: StackOptions, context: CommandContext): Promise<SelectedStack> {
  const target = pulumiTargetFrom(flags, context);
  const { stack: named, region, projectId } = flags;
  if (named !== undefined) {
    const ref = parseStackName(named);
    if (!ref) throw new UsageError(`${flagSpelling("stack")}: "${named}" is not a census-pinpoint stack name (<region>-<projectId>, e.g. us-east-1-0123456789abcdef0123456789abcdef).`);
    refuseDisagreement(named, ref, region, projectId);
    return { target, ref, name: named };
  }
  if (region !== undefined && projectId !== undefined) {
    const ref = { region: parsedFlag("region", region, validateRegion), projectId: projectId.trim() };
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
      `Run \`census-pinpoint setup\` first, or pass the ${flagSpelling("backendUrl")} the stack was created with.`,
    );
  }
  const only = candidates.length === 1 ? candidates[0] : undefined;
  if (only?.ref) {
    context.render.info(`Using stack ${only.name}.`);
    return { target, ref: only.ref, name: only.name };
  }
  context.io.mayAsk(
    false,
    () =>
      new UsageError(
        `${candidates.length} census-pinpoint stacks match: ${candidates.map((stack) => stack.name).join(", ")}.`,
        withFlags`Pass ${"stack"} <name>, or ${"region"} and ${"projectId"}.`,
      ),
  );
  const chosen = await context.io.prompter().chooseStack(
    candidates.map((stack) => ({ name: stack.name, detail: stack.lastUpdate ? `updated ${dayOf(stack.lastUpdate)}` : "never updated" })),
  );
  const ref = parseStackName(chosen)!;
  return { target, ref, name: chosen };
}

/**
 * The day of a stack's last update ("2026-12-02" of Pulumi's "2026-12-02T10:00:00.000Z"): with the
 * time, the longest stack name's choice is wider than an 80-column terminal.
 */
function dayOf(lastUpdate: string): string {
  return /^\d{4}-\d{2}-\d{2}/.exec(lastUpdate)?.[0] ?? lastUpdate;
}
