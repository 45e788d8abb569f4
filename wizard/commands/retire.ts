/**
 * `retire`: after `adopt` put a setup made by hand under a stack and Census holds the new key, removes
 * the legacy pieces the user confirms (the old access key, the old importer role or only its
 * account-wide S3 access), each named before it goes, then audits the stack again.
 *
 * Exit codes: 0 what was chosen is gone (or was already). 2 refused or not confirmed: --no-input (or no
 * terminal) without --yes, a key or role that is a stack's or not an importer role, the key the command
 * runs with, a role of another account, text typed that is not the project ID, or no stack and the
 * extra confirmation declined. Nothing is deleted in any of those. 3 for AWS failures, 130 on Ctrl-C.
 * The re-audit's findings are shown but do not change the exit code: retire did what it was asked.
 */
import { stackName } from "../../infra/names.js";
import { checkProjectId, validateRegion } from "../../infra/validation.js";
import { runAudit } from "../audit/runAudit.js";
import type { AuditReport } from "../audit/report.js";
import { credentialsAccessKeyId } from "../aws/credentialKey.js";
import { getCallerIdentity } from "../aws/identity.js";
import { applyDeletion, readLegacyKey, readLegacyRole } from "../aws/legacyIam.js";
import type { CommandOptions, StackOptions } from "./commandFlags.js";
import type { CommandContext } from "./context.js";
import { flagSpelling, withFlags, type FlagKey } from "./flagRegistry.js";
import { CliError, MissingPulumiCliError, MissingStackError, UsageError } from "../errors.js";
import { listStacks } from "../pulumi/stacks.js";
import type { ChecklistItem } from "../render.js";
import { checkAccessKeyId, checkRoleAccount, deselected, planRetirement, type LegacyPiece, type Mention, type RetirePlan } from "../retire/legacyPieces.js";
import type { AwsTarget } from "../aws/target.js";
import { parseRoleArn, type RoleArnParts } from "../verify/input.js";
import { auditSubjectFromStack, showAudit } from "./audit.js";
import { stackCommandLine } from "./commandLine.js";
import { parsedFlag, pulumiTargetFrom } from "./flags.js";

interface RetireDocument {
  removed: Mention[];
  alreadyGone: Mention[];
  kept: Mention[];
  audit?: AuditReport;
}

interface RetireFlags {
  region: string;
  projectId: string;
  admin: AwsTarget;
  role?: RoleArnParts & { arn: string };
  key?: { accessKeyId: string } | { profile: string };
  keepRole: boolean;
}

type Options = CommandOptions<"retire">;

function retireFlags(flags: Options, context: CommandContext): RetireFlags {
  const region = flags.region;
  const projectId = flags.projectId?.trim();
  if (region === undefined || projectId === undefined) {
    throw new UsageError(
      withFlags`retire needs ${"region"} and ${"projectId"}: the project whose stack took over from the setup made by hand.`,
      withFlags`Example: census-pinpoint retire ${"region"} us-east-1 ${"projectId"} <id> ${"roleArn"} <old importer role ARN> ${"keyProfile"} <profile holding the old key>`,
    );
  }
  parsedFlag("projectId", projectId, (value) => {
    const { warning } = checkProjectId(value);
    if (warning) context.render.warning(warning);
  });
  const { roleArn, keyProfile } = flags;
  const accessKeyId = flags.accessKeyId?.trim();
  const keepRole = flags.keepRole === true;
  if (keyProfile !== undefined && accessKeyId !== undefined) {
    throw new UsageError(withFlags`${"keyProfile"} and ${"accessKeyId"} both name the old key: pass one of them.`);
  }
  if (roleArn === undefined && keyProfile === undefined && accessKeyId === undefined) {
    throw new UsageError(
      withFlags`Nothing to retire: name the old importer role (${"roleArn"}) and/or the old access key (${"keyProfile"} or ${"accessKeyId"}).`,
      "The values are those Census held before `adopt`: Importer Role ARN and Access Key ID.",
    );
  }
  if (keepRole && roleArn === undefined) throw new UsageError(withFlags`${"keepRole"} needs ${"roleArn"}: the importer role to keep.`);
  const role = roleArn === undefined ? undefined : parseRoleArn(roleArn);
  if (roleArn !== undefined && !role) {
    throw new UsageError(`${flagSpelling("roleArn")}: "${roleArn}" is not an IAM role ARN.`, "It is the Importer Role ARN Census held, e.g. arn:aws:iam::123456789012:role/CensusPinpointSegmentImporter.");
  }
  const validRegion = parsedFlag("region", region, validateRegion);
  return {
    region: validRegion,
    projectId,
    admin: { region: validRegion, profile: flags.profile ?? context.io.env.AWS_PROFILE, env: context.io.env },
    ...(role ? { role: { ...role, arn: roleArn! } } : {}),
    ...(accessKeyId !== undefined ? { key: { accessKeyId: checkAccessKeyId(accessKeyId, flagSpelling("accessKeyId")) } } : keyProfile !== undefined ? { key: { profile: keyProfile } } : {}),
    keepRole,
  };
}

/** The flags naming what to retire, as given: for a command line to suggest. */
function pieceFlags(flags: Options): string[] {
  const named = ["roleArn", "keyProfile", "accessKeyId"] as const satisfies readonly FlagKey[];
  return [
    ...named.flatMap((key) => (flags[key] === undefined ? [] : [`${flagSpelling(key)} ${flags[key]}`])),
    ...(flags.keepRole === true ? [flagSpelling("keepRole")] : []),
  ];
}

/** The old key's ID: given, or read from its profile without using it (using it would make it look just used). */
async function oldKeyId(key: RetireFlags["key"], region: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (key === undefined) return undefined;
  if ("accessKeyId" in key) return key.accessKeyId;
  return checkAccessKeyId(await credentialsAccessKeyId({ region, profile: key.profile, env }), `AWS profile "${key.profile}"`);
}

/** This tool's stack for the project: its last update, or undefined when there is none (or no Pulumi CLI to look with). */
async function findStack(flags: Options, context: CommandContext, name: string): Promise<{ lastUpdate?: string } | undefined> {
  try {
    const stacks = await listStacks(pulumiTargetFrom(flags, context), { pulumiCommand: context.pulumiCommand, onProgress: context.render.progress });
    return stacks.find((stack) => stack.name === name);
  } catch (error) {
    if (!(error instanceof MissingPulumiCliError)) throw error;
    context.render.warning(`No Pulumi CLI, so whether stack ${name} exists could not be checked; retire goes on as if it did not.`);
    return undefined;
  }
}

export async function retireCommand(flags: Options, context: CommandContext): Promise<void> {
  const { io, render } = context;
  const json = flags.json === true;
  const request = retireFlags(flags, context);
  const ask = io.mayAsk(
    flags.yes === true,
    () =>
      new UsageError(
        withFlags`retire deletes IAM resources, and without a terminal nothing can be confirmed: pass ${"yes"} to go ahead.`,
        `In CI: ${[withFlags`census-pinpoint retire ${"noInput"} ${"yes"} ${"region"}`, request.region, flagSpelling("projectId"), request.projectId, ...pieceFlags(flags)].join(" ")}`,
      ),
  );
  const { admin, role } = request;
  const name = stackName(request.region, request.projectId);

  render.progress({ kind: "step", message: "Checking the AWS credentials" });
  const caller = await getCallerIdentity(admin);
  render.info(`Using AWS account ${caller.accountId} as ${caller.arn}.`);
  if (role) checkRoleAccount(role.arn, role.accountId, caller.accountId);
  const [callerKeyId, accessKeyId] = await Promise.all([credentialsAccessKeyId(admin), oldKeyId(request.key, request.region, io.env)]);

  render.progress({ kind: "step", message: `Looking for stack ${name}` });
  const stack = await findStack(flags, context, name);
  render.progress({ kind: "step", message: "Reading the old key and importer role in IAM" });
  const [foundKey, foundRole] = await Promise.all([
    accessKeyId === undefined ? undefined : readLegacyKey(admin, accessKeyId),
    role === undefined ? undefined : readLegacyRole(admin, role.roleName),
  ]);
  const plan = planRetirement({
    caller: { ...caller, accessKeyId: callerKeyId },
    ...(accessKeyId !== undefined ? { key: { accessKeyId, found: foundKey } } : {}),
    ...(role ? { role: { arn: role.arn, name: role.roleName, found: foundRole } } : {}),
    keepRole: request.keepRole,
    now: Date.now(),
    ...(stack?.lastUpdate ? { stackUpdatedAt: stack.lastUpdate } : {}),
  });
  render.stop();

  const noStack = `No census-pinpoint stack ${name}: retiring before \`census-pinpoint adopt\` leaves Census without a working setup.`;
  showPlan(context, plan, stack === undefined && plan.pieces.length > 0 ? noStack : undefined);
  const chosen = plan.pieces.length === 0 || !ask ? plan : await choose(context, plan, { projectId: request.projectId, noStack: stack === undefined ? noStack : undefined });

  const document: RetireDocument = { removed: [], alreadyGone: [...chosen.alreadyGone], kept: chosen.kept };
  for (const piece of chosen.pieces) {
    render.progress({ kind: "step", message: `Removing ${piece.description}` });
    const outcomes = [];
    for (const deletion of piece.deletions) outcomes.push(await applyDeletion(admin, deletion));
    const mention: Mention = { kind: piece.kind, id: piece.id, description: piece.description };
    // Someone else was faster for every call: it is gone, but not by this run.
    if (outcomes.every((outcome) => outcome === "already-gone")) document.alreadyGone.push(mention);
    else document.removed.push(mention);
  }
  render.stop();
  if (!json) render.checklist("Legacy pieces of the setup made by hand:", checklist(document));

  if (stack === undefined) {
    render.info(`No stack ${name} to audit again; after \`census-pinpoint adopt\`, \`census-pinpoint audit ${flagSpelling("region")} ${request.region} ${flagSpelling("projectId")} ${request.projectId}\` reviews it.`);
  } else {
    const audit = await reaudit(flags, context, name);
    if (audit) document.audit = audit;
    if (audit && !json) {
      render.lines([""]);
      showAudit(audit, context, false);
    }
  }
  if (json) render.json(document);
}

/** On stderr: the result on stdout is what was done, not what was planned. */
function showPlan(context: CommandContext, plan: RetirePlan, noStack: string | undefined): void {
  const { render } = context;
  if (plan.pieces.length === 0) {
    render.info("Nothing left to retire.");
    return;
  }
  render.info(`retire removes ${plan.pieces.length === 1 ? "this legacy piece" : `these ${plan.pieces.length} legacy pieces`}:`);
  for (const piece of plan.pieces) render.info(`  - ${piece.description}`);
  for (const mention of plan.kept) render.info(`  Kept: ${mention.description}.`);
  for (const piece of plan.pieces) for (const warning of piece.warnings) render.warning(warning);
  if (noStack) render.warning(noStack);
}

/** In a terminal without --yes: the extra consent when there is no stack, a choice per piece, then the project ID typed back. */
async function choose(context: CommandContext, plan: RetirePlan, options: { projectId: string; noStack?: string }): Promise<RetirePlan> {
  const prompter = context.io.prompter();
  if (options.noStack && !(await prompter.confirmRetireWithoutStack(options.noStack))) {
    throw new UsageError("Not confirmed: nothing was deleted.", "Run `census-pinpoint adopt` first, so that Census has a working setup to move to; then run retire again.");
  }
  const pieces: LegacyPiece[] = [];
  const kept = [...plan.kept];
  for (const piece of plan.pieces) {
    // One piece was already named with the question below; more are chosen one by one.
    if (plan.pieces.length === 1 || (await prompter.confirmRetirePiece(piece.description))) pieces.push(piece);
    else kept.push(deselected(piece));
  }
  if (pieces.length > 0 && !(await prompter.confirmTypedText(options.projectId, `Type the project ID ${options.projectId} to confirm`))) {
    throw new UsageError(
      `What was typed is not the project ID ${options.projectId}: nothing was deleted.`,
      `Run retire again and type the project ID exactly as shown, or pass ${flagSpelling("yes")}.`,
    );
  }
  return { pieces, alreadyGone: plan.alreadyGone, kept };
}

function checklist(document: RetireDocument): ChecklistItem[] {
  return [
    ...document.removed.map((mention): ChecklistItem => ({ status: "passed", label: mention.description, detail: "removed" })),
    ...document.alreadyGone.map((mention): ChecklistItem => ({ status: "passed", label: mention.description, detail: "already gone" })),
    ...document.kept.map((mention): ChecklistItem => ({ status: "skipped", label: mention.description, detail: "kept" })),
  ];
}

/**
 * The stack's audit, named by region and project alone: the old role and key flags must not stand in
 * for the stack's. What was removed is already done and reported, so an audit that cannot run is a
 * warning, not the run's failure.
 */
async function reaudit(flags: Options, context: CommandContext, name: string): Promise<AuditReport | undefined> {
  const { render } = context;
  const stackFlags: StackOptions = { region: flags.region, projectId: flags.projectId, profile: flags.profile, backendUrl: flags.backendUrl };
  render.progress({ kind: "step", message: `Auditing stack ${name} again` });
  try {
    const subject = await auditSubjectFromStack(stackFlags, context);
    return await runAudit(subject, { onProgress: render.progress, now: Date.now() });
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    render.stop();
    if (error instanceof MissingStackError) render.info(`No stack ${name} to audit again: ${error.message}`);
    else render.warning(`Stack ${name} could not be audited again: ${error.message} \`${stackCommandLine("audit", name, flags)}\` runs it once that is fixed.`);
    return undefined;
  } finally {
    render.stop();
  }
}
