/**
 * `teardown`: shows what a destroy would delete, asks for the project ID to be typed (or --yes),
 * deletes everything, removes the stack with its history and its work dir, then checks in AWS that
 * the bucket, role, user, group and policies are gone, listing anything left with the commands
 * that remove it.
 *
 * Exit codes: 0 torn down, or nothing to tear down (no such stack). 2 not confirmed: --no-input (or
 * no terminal) without --yes, or typed text that is not the project ID. A mistyped confirmation is
 * invalid input rather than a choice: exit 0 must mean the stack is gone, so a script never mistakes
 * "nothing was deleted" for success. 5 when the check after the destroy finds something still in
 * AWS (the destroy itself succeeded). 3 and 4 as usual for AWS and Pulumi failures, 130 on Ctrl-C.
 *
 * --keep-state deletes the resources only. The stack stays in the backend with its history, and so
 * does its work dir: its config file holds the salt Pulumi needs to read that history's secrets.
 * `list` still shows the stack, `setup` with the same region and project recreates the resources
 * in it, and a later `teardown` without --keep-state removes it.
 */
import { findLeftovers, type LeftoverCheck } from "../aws/leftovers.js";
import { getCallerIdentity } from "../aws/identity.js";
import type { CommandOptions } from "./commandFlags.js";
import type { CommandContext } from "./context.js";
import { flagSpelling, withFlags } from "./flagRegistry.js";
import { AwsCredentialsError, MissingStackError, UsageError, VerificationError } from "../errors.js";
import type { ChecklistItem } from "../render.js";
import type { PlannedChange } from "../pulumi/changePlan.js";
import { destroyStack, previewDestroy, removeStack, type StackResource } from "../pulumi/destroy.js";
import type { AwsTarget } from "../aws/target.js";
import { consequence } from "./changeConsent.js";
import { readStackState, recordedResources, stateAccountId } from "../pulumi/stackState.js";
import { openStack, type OpenStack } from "../pulumi/openStack.js";
import { stackCommandLine } from "./commandLine.js";
import { runInterruptibly } from "./interruptibleUpdate.js";
import { selectStack, type SelectedStack } from "./stackSelection.js";

type Status = "torn-down" | "resources-deleted" | "nothing-to-tear-down";

interface TeardownDocument {
  stackName: string | null;
  status: Status;
  deleted: StackResource[];
  stackRemoved: boolean;
  workDir: string | null;
  workDirRemoved: boolean;
  /** What the check after the destroy found still in AWS, or could not check. */
  leftovers: LeftoverCheck[];
}

export async function teardownCommand(flags: CommandOptions<"teardown">, context: CommandContext): Promise<void> {
  const { io, render } = context;
  const json = flags.json === true;
  const keepState = flags.keepState === true;
  const askToConfirm = io.mayAsk(
    flags.yes === true,
    () =>
      new UsageError(
        withFlags`teardown deletes AWS resources, and without a terminal nothing can be confirmed: pass ${"yes"} to go ahead.`,
        withFlags`In CI: census-pinpoint teardown ${"noInput"} ${"yes"} ${"region"} <region> ${"projectId"} <id>`,
      ),
  );
  const opened = await openExisting(flags, context);
  if (!("stack" in opened)) {
    render.info(`Nothing to tear down. ${opened.reason}`);
    render.info(`If the stack was made with another Pulumi backend, pass its ${flagSpelling("backendUrl")}.`);
    if (json) render.json(emptyDocument(opened.name));
    return;
  }
  const { selected, stack } = opened;
  const { name, ref, target } = selected;

  render.progress({ kind: "step", message: `Reading stack ${name}` });
  const [state, caller] = await Promise.all([readStackState(stack.stack), getCallerIdentity({ region: ref.region, profile: target.profile, env: io.env })]);
  render.info(`Using AWS account ${caller.accountId} as ${caller.arn}.`);
  const stackAccount = stateAccountId(state);
  if (stackAccount !== undefined && stackAccount !== caller.accountId) {
    throw new AwsCredentialsError(
      `Stack ${name}'s resources are in AWS account ${stackAccount}, but these credentials belong to account ${caller.accountId}.`,
      `Use credentials for account ${stackAccount} (${flagSpelling("profile")} <name> or AWS_PROFILE): with any others, Pulumi would find nothing to delete and forget resources that still exist.`,
    );
  }
  // Read before the destroy: afterwards the state no longer says what it held.
  const recorded = recordedResources(state);

  render.progress({ kind: "step", message: `Previewing what teardown deletes from stack ${name}` });
  const planned = await previewDestroy(stack, { onProgress: render.progress, verbose: flags.verbose === true });
  render.stop();
  await showPlan(context, name, planned, { keepState, json, aws: { region: ref.region, profile: target.profile, env: io.env } });
  if (askToConfirm && (planned.length > 0 || !keepState)) await confirm(context, ref.projectId);

  const resumeCommand = stackCommandLine("teardown", name, flags, keepState ? [flagSpelling("keepState"), flagSpelling("yes")] : [flagSpelling("yes")]);
  const deleted = await runInterruptibly(context, { stackName: name, resumeCommand }, async (signal) => {
    render.progress({ kind: "step", message: `Deleting the resources of stack ${name}` });
    const done = await destroyStack(stack, { onProgress: render.progress, verbose: flags.verbose === true, signal, resumeCommand });
    if (!keepState) {
      render.progress({ kind: "step", message: `Removing stack ${name} and its work dir` });
      await removeStack(stack);
    }
    return done;
  });

  render.progress({ kind: "step", message: "Checking that nothing is left in AWS" });
  const checks = await findLeftovers({ region: ref.region, profile: target.profile, env: io.env }, recorded);
  render.stop();
  const leftovers = checks.filter((check) => check.status !== "gone");
  const document: TeardownDocument = {
    stackName: name,
    status: keepState ? "resources-deleted" : "torn-down",
    deleted,
    stackRemoved: !keepState,
    workDir: stack.workDir,
    workDirRemoved: !keepState,
    leftovers,
  };
  if (json) render.json(document);
  else render.checklist("Checked in AWS after the teardown:", checks.map(checklistItem));
  report(context, document, stackCommandLine("teardown", name, flags));
}

/** The chosen stack opened, or why there is nothing to tear down. */
async function openExisting(
  flags: CommandOptions<"teardown">,
  context: CommandContext,
): Promise<{ selected: SelectedStack; stack: OpenStack } | { name: string | null; reason: string }> {
  let selected: SelectedStack;
  try {
    selected = await selectStack(flags, context);
  } catch (error) {
    if (error instanceof MissingStackError) return { name: null, reason: error.message };
    throw error;
  }
  try {
    const stack = await openStack(selected.target, selected.ref, { create: false, onProgress: context.render.progress, pulumiCommand: context.pulumiCommand });
    return { selected, stack };
  } catch (error) {
    if (!(error instanceof MissingStackError)) throw error;
    return { name: selected.name, reason: error.message };
  }
}

function emptyDocument(name: string | null): TeardownDocument {
  return { stackName: name, status: "nothing-to-tear-down", deleted: [], stackRemoved: false, workDir: null, workDirRemoved: false, leftovers: [] };
}

/** What the destroy deletes, by AWS name, and what that means for Census in words. */
async function showPlan(context: CommandContext, name: string, planned: PlannedChange[], options: { keepState: boolean; json: boolean; aws: AwsTarget }): Promise<void> {
  const { render } = context;
  if (planned.length === 0) {
    render.info(`Stack ${name} has no resources left to delete.`);
  } else {
    render.info(`Teardown deletes these ${planned.length} resources of stack ${name}:`);
    // With --json, stdout carries the one result document; the list is in its `deleted`.
    if (!options.json) render.table(["RESOURCE", "PULUMI NAME"], planned.map((change) => ({ cells: [change.description, change.name] })));
    for (const change of planned.filter((c) => c.type === "aws:s3/bucket:Bucket" || c.type === "aws:iam/accessKey:AccessKey")) {
      render.warning(await consequence(change, options.aws));
    }
  }
  render.info(options.keepState ? `The stack and its history stay in the backend (${flagSpelling("keepState")}).` : "The stack, its history and its work dir are removed too.");
}

/** The project ID typed back; anything else stops here with nothing deleted (exit 2). */
async function confirm(context: CommandContext, projectId: string): Promise<void> {
  context.render.stop();
  // What is deleted was listed just above; the question stays short enough for one terminal line.
  if (await context.io.prompter().confirmTypedText(projectId, `Type the project ID ${projectId} to confirm`)) return;
  throw new UsageError(
    `What was typed is not the project ID ${projectId}: nothing was deleted.`,
    `Run teardown again and type the project ID exactly as shown, or pass ${flagSpelling("yes")}.`,
  );
}

function checklistItem(check: LeftoverCheck): ChecklistItem {
  const label = `${check.kind} ${check.name}`;
  switch (check.status) {
    case "gone":
      return { status: "passed", label, detail: "gone" };
    case "left":
      return { status: "failed", label, detail: `still exists${check.reason ? ` (${check.reason})` : ""}`, fix: check.commands?.join("\n") };
    case "unchecked":
      return { status: "skipped", label, detail: `not checked: ${check.reason}` };
  }
}

function report(context: CommandContext, document: TeardownDocument, removeLater: string): void {
  const { render } = context;
  const { stackName, deleted, workDir } = document;
  const count = `${deleted.length} resource${deleted.length === 1 ? "" : "s"}`;
  if (document.stackRemoved) {
    render.info(`Stack ${stackName} is torn down: ${count} deleted, the stack and its work dir ${workDir} removed.`);
  } else {
    render.info(
      `Deleted ${count} of stack ${stackName}. Its history stays in the backend and its work dir ${workDir} stays (its config holds what Pulumi needs to read that history); ` +
        `\`${removeLater}\` removes both.`,
    );
  }
  const unchecked = document.leftovers.filter((check) => check.status === "unchecked");
  if (unchecked.length > 0) {
    render.warning(`${unchecked.length} of the stack's resources could not be checked: look for ${unchecked.map((check) => check.name).join(", ")} in the AWS console.`);
  }
  const left = document.leftovers.filter((check) => check.status === "left");
  if (left.length > 0) {
    throw new VerificationError(
      `${left.length} of the stack's resources ${left.length === 1 ? "is" : "are"} still in AWS: ${left.map((check) => `${check.kind} ${check.name}`).join(", ")}.`,
      "Run the commands listed under each resource above, in order.",
    );
  }
}
