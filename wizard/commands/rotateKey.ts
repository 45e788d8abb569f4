/**
 * `rotate-key`: replaces the Census access key without downtime. Phase 1 adds a second key and prints
 * it; the user gives it to Census and runs Census's connection test; phase 2 (`--finish`, or yes to
 * the question after phase 1) deletes the old key. `--yes` answers that question only for `--finish`:
 * right after phase 1 Census cannot be using the new key yet, so deleting the old one would break it.
 */
import type { CommandContext, ParsedFlags } from "../cli.js";
import { UsageError } from "../errors.js";
import { createInquirerPrompter, type Prompter } from "../prompts.js";
import { finishRotation, readRotation, startRotation, type FinishableState, type Rotation } from "../pulumi/keyRotation.js";
import type { OpenStack } from "../pulumi/workspace.js";
import { stackCommandLine } from "./commandLine.js";
import { runInterruptibly } from "./interruptibleUpdate.js";
import { selectStack, type SelectedStack } from "./stackSelection.js";

export async function rotateKeyCommand(flags: ParsedFlags, context: CommandContext): Promise<void> {
  if (flags.finish === true && !context.interactive && flags.yes !== true) {
    throw new UsageError(
      "Deleting the old access key cannot be confirmed without a terminal: pass --yes with --finish.",
      "Only once Census uses the new key and its connection test passed: census-pinpoint rotate-key --finish --yes",
    );
  }
  const selected = await selectStack(flags, context);
  const rotation = await readRotation(selected.target, selected.ref, { pulumiCommand: context.pulumiCommand });
  const prompter = context.prompter ?? createInquirerPrompter();
  if (flags.finish === true) await finishPhase(rotation, selected, flags, context, prompter);
  else await startPhase(rotation, selected, flags, context, prompter);
}

async function startPhase(rotation: Rotation, selected: SelectedStack, flags: ParsedFlags, context: CommandContext, prompter: Prompter): Promise<void> {
  const { render } = context;
  const resumeCommand = stackCommandLine("rotate-key", selected.name, flags);
  const finishCommand = stackCommandLine("rotate-key", selected.name, flags, ["--finish"]);
  if (rotation.state.phase !== "pending") render.progress({ kind: "step", message: `Adding a new access key to stack ${selected.name}` });
  const started = await runInterruptibly(context, { stackName: selected.name, resumeCommand }, (signal) =>
    startRotation(rotation, { onProgress: render.progress, verbose: flags.verbose === true, signal, resumeCommand }),
  );
  const { values, previousAccessKeyId } = started;
  if (!started.created) {
    render.warning(`A rotation is already pending on stack ${selected.name}: the new key below was made by an earlier rotate-key, and the old key ${previousAccessKeyId} still exists. No third key was made.`);
  }
  if (flags.json === true) {
    render.json({ ...values, stackName: selected.name, previousAccessKeyId, newKeyCreated: started.created, finishCommand });
  } else {
    render.censusValues(values, { showSecret: true });
    render.info(
      `The new key ${values.accessKeyId} works alongside the old key ${previousAccessKeyId}, which Census uses until you change it. ` +
        "In Census, put the new Access Key ID and Secret Key into the Amazon Pinpoint destination and run its connection test.",
    );
  }
  // With --json the key is only in the document, printed now: asking would hide it until after the answer.
  const ask = context.interactive && flags.json !== true && flags.yes !== true;
  if (ask && (await prompter.confirmOldKeyDeletion(previousAccessKeyId))) {
    // Phase 1 changed the stack: phase 2 starts from its state now, and the user has just answered.
    const pending = await readRotation(selected.target, selected.ref, { pulumiCommand: context.pulumiCommand });
    await finishPhase(pending, selected, { ...flags, yes: true }, context, prompter);
    return;
  }
  if (flags.yes === true && flags.json !== true) render.info("--yes does not delete the old key right after creating the new one: Census needs the new key first.");
  render.info(`Phase 2 is pending. Once Census's test passes with the new key, delete the old one: ${finishCommand}`);
}

async function finishPhase(rotation: Rotation, selected: SelectedStack, flags: ParsedFlags, context: CommandContext, prompter: Prompter): Promise<void> {
  const { render } = context;
  const { state } = rotation;
  // Exit 0: the state --finish leads to (one key) already holds, so a retried script succeeds.
  if (state.phase === "idle") {
    if (flags.json === true) render.json({ stackName: selected.name, rotationPending: false, deletedAccessKeyId: null });
    render.info(`No key rotation is pending on stack ${selected.name}: it has one access key, so there is nothing to delete. Start a rotation with ${stackCommandLine("rotate-key", selected.name, flags)}`);
    return;
  }
  if (state.phase === "starting") {
    throw new UsageError(
      `The new access key of stack ${selected.name} was never completely created (an earlier rotate-key stopped), so the old key is the only one Census can use and stays.`,
      `Run ${stackCommandLine("rotate-key", selected.name, flags)} to create the new key, put it into Census, then finish.`,
    );
  }
  if (context.interactive && flags.yes !== true && !(await prompter.confirmOldKeyDeletion(state.previousAccessKeyId))) {
    render.info("Nothing was deleted; both keys still work.");
    return;
  }
  await deleteOldKey(rotation.opened, state, selected, flags, context);
}

async function deleteOldKey(opened: OpenStack, state: FinishableState, selected: SelectedStack, flags: ParsedFlags, context: CommandContext): Promise<void> {
  const { render } = context;
  const resumeCommand = stackCommandLine("rotate-key", selected.name, flags, ["--finish", "--yes"]);
  render.progress({ kind: "step", message: `Deleting the old access key ${state.previousAccessKeyId}` });
  const finished = await runInterruptibly(context, { stackName: selected.name, resumeCommand }, (signal) =>
    finishRotation(opened, state, { onProgress: render.progress, verbose: flags.verbose === true, signal, resumeCommand }),
  );
  const { values, deletedAccessKeyId } = finished;
  if (flags.json === true) render.json({ stackName: selected.name, accessKeyId: values.accessKeyId, deletedAccessKeyId });
  else render.lines([`Deleted the old access key ${deletedAccessKeyId}. ${values.accessKeyId} is now the only key of ${values.censusUserName}.`]);
}
