/**
 * `rotate-key`: replaces the Census access key without downtime. Phase 1 adds a second key and prints
 * it; the user gives it to Census and runs Census's connection test; phase 2 (`--finish`, or yes to
 * the question after phase 1) deletes the old key. `--yes` answers that question only for `--finish`:
 * right after phase 1 Census cannot be using the new key yet, so deleting the old one would break it.
 * Phase 2 deletes the old key only once IAM shows the new one there and active, for the stack's user,
 * and says when Census last used each; each phase shows the preview of its update first.
 */
import { accessKeysOf, keyLastUse, type KeyLastUse } from "../aws/accessKeys.js";
import type { CommandOptions } from "./commandFlags.js";
import type { CommandContext } from "./context.js";
import { flagSpelling, withFlags } from "./flagRegistry.js";
import { InterruptedError, UsageError, VerificationError } from "../errors.js";
import type { Prompter } from "../prompts.js";
import { previewUpdate } from "../pulumi/changePlan.js";
import { finishConfig, finishRotation, readRotation, startConfig, startRotation, type FinishableState, type Rotation } from "../pulumi/keyRotation.js";
import { showPlanAndConsent } from "./changeConsent.js";
import { stackCommandLine } from "./commandLine.js";
import { runInterruptibly } from "./interruptibleUpdate.js";
import { selectStack, type SelectedStack } from "./stackSelection.js";

type Options = CommandOptions<"rotate-key">;

export async function rotateKeyCommand(flags: Options, context: CommandContext): Promise<void> {
  // Refused before any stack is read: without a terminal, only --yes can confirm the deletion.
  const askToFinish =
    flags.finish === true &&
    context.io.mayAsk(
      flags.yes === true,
      () =>
        new UsageError(
          withFlags`Deleting the old access key cannot be confirmed without a terminal: pass ${"yes"} with ${"finish"}.`,
          withFlags`Only once Census uses the new key and its connection test passed: census-pinpoint rotate-key ${"finish"} ${"yes"}`,
        ),
    );
  const selected = await selectStack(flags, context);
  const rotation = await readRotation(selected.target, selected.ref, { pulumiCommand: context.pulumiCommand, onProgress: context.render.progress });
  if (flags.finish === true) await finishPhase(rotation, selected, flags, context, askToFinish);
  else await startPhase(rotation, selected, flags, context);
}

async function startPhase(rotation: Rotation, selected: SelectedStack, flags: Options, context: CommandContext): Promise<void> {
  const { render } = context;
  const { opened, state } = rotation;
  const resumeCommand = stackCommandLine("rotate-key", selected.name, flags);
  const finishCommand = stackCommandLine("rotate-key", selected.name, flags, [flagSpelling("finish")]);
  const newKeyExists = state.phase !== "pending" || (await accessKeysOf(opened.aws, rotation.censusUserName)).some((key) => key.id === rotation.accessKeyId);
  if (state.phase === "pending" && !newKeyExists) {
    render.warning(`The new key ${rotation.accessKeyId} of the pending rotation is gone from IAM (deleted outside census-pinpoint): making another one. The old key ${state.previousAccessKeyId} stays.`);
  }
  if (state.phase !== "pending" || !newKeyExists) {
    render.progress({ kind: "step", message: `Previewing the new access key for stack ${selected.name}` });
    const plan = await previewUpdate(opened, startConfig(state), { onProgress: render.progress, verbose: flags.verbose === true });
    await showPlanAndConsent(plan, flags, context, { stackName: selected.name, projectId: selected.ref.projectId, aws: opened.aws });
    render.progress({ kind: "step", message: `Adding a new access key to stack ${selected.name}` });
  }
  const started = await runInterruptibly(context, { stackName: selected.name, resumeCommand }, (signal) =>
    startRotation(rotation, { onProgress: render.progress, verbose: flags.verbose === true, signal, resumeCommand, newKeyExists }),
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
  const ask = context.io.mayAsk(flags.json === true || flags.yes === true);
  if (ask && (await askAfterNewKey(context.io.prompter(), previousAccessKeyId, values.accessKeyId, finishCommand))) {
    // Phase 1 changed the stack: phase 2 starts from its state now, and the user has just answered.
    const pending = await readRotation(selected.target, selected.ref, { pulumiCommand: context.pulumiCommand, onProgress: context.render.progress });
    await finishPhase(pending, selected, flags, context, false);
    return;
  }
  if (flags.yes === true && flags.json !== true) render.info(`${flagSpelling("yes")} does not delete the old key right after creating the new one: Census needs the new key first.`);
  render.info(`Phase 2 is pending. Once Census's test passes with the new key, delete the old one: ${finishCommand}`);
}

/** Ctrl-C at the question after phase 1 must not read as "nothing happened": the new key exists. */
async function askAfterNewKey(prompter: Prompter, oldKey: string, newKey: string, finishCommand: string): Promise<boolean> {
  try {
    return await prompter.confirmOldKeyDeletion(oldKey);
  } catch (error) {
    if (!(error instanceof InterruptedError)) throw error;
    throw new InterruptedError(
      `Cancelled. The new key ${newKey} exists and works alongside the old key ${oldKey}, which still works too.`,
      `Put the new key into Census and run its connection test; then delete the old key with \`${finishCommand}\`.`,
    );
  }
}

/** `ask`: the deletion is still to be confirmed in the terminal (not by --yes, nor by the answer after phase 1). */
async function finishPhase(rotation: Rotation, selected: SelectedStack, flags: Options, context: CommandContext, ask: boolean): Promise<void> {
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
  await checkNewKeyInIam(rotation, state, selected, flags);
  await reportKeyUse(rotation, state, context);
  render.progress({ kind: "step", message: `Previewing the deletion of the old access key ${state.previousAccessKeyId}` });
  const plan = await previewUpdate(rotation.opened, finishConfig(state), { onProgress: render.progress, verbose: flags.verbose === true });
  await showPlanAndConsent(plan, flags, context, {
    stackName: selected.name,
    projectId: selected.ref.projectId,
    aws: rotation.opened.aws,
    expectedKeyDeletion: state.previousAccessKeyId,
  });
  if (ask && !(await context.io.prompter().confirmOldKeyDeletion(state.previousAccessKeyId))) {
    render.info("Nothing was deleted; both keys still work.");
    return;
  }
  const resumeCommand = stackCommandLine("rotate-key", selected.name, flags, [flagSpelling("finish"), flagSpelling("yes")]);
  render.progress({ kind: "step", message: `Deleting the old access key ${state.previousAccessKeyId}` });
  const finished = await runInterruptibly(context, { stackName: selected.name, resumeCommand }, (signal) =>
    finishRotation(rotation.opened, state, { onProgress: render.progress, verbose: flags.verbose === true, signal, resumeCommand }),
  );
  const { values, deletedAccessKeyId } = finished;
  if (flags.json === true) render.json({ stackName: selected.name, accessKeyId: values.accessKeyId, deletedAccessKeyId });
  else render.lines([`Deleted the old access key ${deletedAccessKeyId}. ${values.accessKeyId} is now the only key of ${values.censusUserName}.`]);
}

/**
 * The old key goes only when IAM shows the new one, active, for the stack's user: otherwise deleting
 * it would leave Census with no working key.
 */
async function checkNewKeyInIam(rotation: Rotation, state: FinishableState, selected: SelectedStack, flags: Options): Promise<void> {
  const { accessKeyId, censusUserName } = rotation;
  const newKey = (await accessKeysOf(rotation.opened.aws, censusUserName)).find((key) => key.id === accessKeyId);
  const problem = !newKey ? "is not in IAM (it was deleted outside census-pinpoint)" : !newKey.active ? "is inactive in IAM" : undefined;
  if (problem === undefined) return;
  throw new VerificationError(
    `The new access key ${accessKeyId} of user ${censusUserName} ${problem}: deleting the old key ${state.previousAccessKeyId} now would leave Census with no working key. Nothing was deleted.`,
    newKey
      ? `Activate it again (IAM → Users → ${censusUserName} → Security credentials), or run \`${stackCommandLine("rotate-key", selected.name, flags)}\` after deleting it there to get another; then finish.`
      : `Run \`${stackCommandLine("rotate-key", selected.name, flags)}\` to make a new key (the old one stays), put it into Census, run its connection test, then finish.`,
  );
}

function lastUseText(use: KeyLastUse): string {
  if (use.at === undefined) return "never used";
  return `last used ${use.at.toISOString().slice(0, 16).replace("T", " ")} UTC${use.service ? ` (${use.service}${use.region ? ` in ${use.region}` : ""})` : ""}`;
}

/** When each key was last used, as IAM records it: who still uses the old key shows before it goes. */
async function reportKeyUse(rotation: Rotation, state: FinishableState, context: CommandContext): Promise<void> {
  const { aws } = rotation.opened;
  const [oldUse, newUse] = await Promise.all([keyLastUse(aws, state.previousAccessKeyId).catch(() => undefined), keyLastUse(aws, rotation.accessKeyId).catch(() => undefined)]);
  if (oldUse) context.render.info(`Old key ${state.previousAccessKeyId}: ${lastUseText(oldUse)}.`);
  if (newUse) context.render.info(`New key ${rotation.accessKeyId}: ${lastUseText(newUse)}.`);
  if (newUse && newUse.at === undefined) {
    context.render.warning(`Census has not used the new key ${rotation.accessKeyId} yet: unless you have run Census's connection test with it, do that before deleting the old key.`);
  }
}
