/**
 * Zero-downtime rotation of the Census access key, through the stack's config so that the state stays
 * the source of truth (infra/names.ts activeKeyGenerations): phase 1 raises `accessKeyGeneration` and
 * keeps the previous key (IAM allows two per user), phase 2 drops the previous key once Census uses
 * the new one. Never prints: the command decides what to show and when to ask.
 */
import type { ConfigMap, PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import { stackConfigKey } from "../../infra/config.js";
import { activeKeyGenerations } from "../../infra/names.js";
import { InvalidInputError, validateAccessKeyGeneration, validateKeepPreviousAccessKey } from "../../infra/validation.js";
import type { CensusValues } from "../censusValues.js";
import { PulumiError, UsageError } from "../errors.js";
import { type ProgressReporter, silentProgress } from "../progress.js";
import { censusValuesFrom, outputText, type StackOutputs } from "./outputs.js";
import { emptyStackError, emptyStackReason } from "./emptyStack.js";
import { openStack, type OpenStack } from "./openStack.js";
import { readStackConfig, readStackOutputs } from "./stackReads.js";
import { updateStack, type UpdateOptions } from "./updateStack.js";
import type { PulumiTarget, StackRef } from "./stackTarget.js";

const GENERATION_KEY = stackConfigKey("accessKeyGeneration");
const KEEP_PREVIOUS_KEY = stackConfigKey("keepPreviousAccessKey");

/**
 * Where a stack is in a rotation. The config says what was asked for, the outputs what the last
 * completed update produced; they differ when an update was interrupted or failed.
 */
export type RotationState =
  /** One key, no rotation. */
  | { phase: "idle"; generation: number }
  /** Phase 1 done: the new key and the previous one both exist, waiting for phase 2. */
  | { phase: "pending"; generation: number; previousAccessKeyId: string }
  /** Phase 1 was asked for but its update did not complete: the new key may not exist. */
  | { phase: "starting"; generation: number }
  /** Phase 2 was asked for but its update did not complete: the previous key may still exist. */
  | { phase: "finishing"; generation: number; previousAccessKeyId: string };

/** A rotation phase 2 can complete: two keys exist, or did when an update stopped. */
export type FinishableState = Extract<RotationState, { previousAccessKeyId: string }>;

export interface Rotation {
  opened: OpenStack;
  state: RotationState;
  /** The current key and the user it belongs to, from the last completed update. */
  accessKeyId: string;
  censusUserName: string;
}

export interface StartedRotation {
  /** False when an earlier run had already created the new key and this one only read it. */
  created: boolean;
  /** The new key's values, the secret in clear: the user pastes them into Census. */
  values: CensusValues;
  /** The key Census still uses until phase 2. */
  previousAccessKeyId: string;
}

export interface FinishedRotation {
  deletedAccessKeyId: string;
  /** The values after the rotation, the secret masked. */
  values: CensusValues;
}

function configValue<T>(config: ConfigMap, key: string, parse: (value: string) => T, fallback: T, stackName: string): T {
  const value = config[key]?.value;
  if (value === undefined || value === "") return fallback;
  try {
    return parse(value);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    throw new UsageError(`Stack ${stackName} has an invalid ${key}: ${error.message}`, `Correct it with \`pulumi config set ${key} <value> --stack ${stackName}\`.`);
  }
}

export function rotationState(config: ConfigMap, outputs: StackOutputs, stackName: string): RotationState {
  const generation = configValue(config, GENERATION_KEY, validateAccessKeyGeneration, 1, stackName);
  const keepPrevious = configValue(config, KEEP_PREVIOUS_KEY, validateKeepPreviousAccessKey, false, stackName);
  const rotating = activeKeyGenerations(generation, keepPrevious).length > 1;
  const previousAccessKeyId = outputText(outputs, "previousAccessKeyId");
  if (rotating) return previousAccessKeyId ? { phase: "pending", generation, previousAccessKeyId } : { phase: "starting", generation };
  return previousAccessKeyId ? { phase: "finishing", generation, previousAccessKeyId } : { phase: "idle", generation };
}

function rotationConfig(generation: number, keepPrevious: boolean): ConfigMap {
  return { [GENERATION_KEY]: { value: String(generation) }, [KEEP_PREVIOUS_KEY]: { value: String(keepPrevious) } };
}

/**
 * The config phase 1 updates with. A pending rotation whose new key is gone gets it again (same
 * generation); an interrupted phase 1 completes its generation; an interrupted phase 2 was on its way
 * to dropping the previous key anyway, so going on from the current generation keeps its key (the one
 * Census uses) and adds the next.
 */
export function startConfig(state: RotationState): ConfigMap {
  const generation = state.phase === "starting" || state.phase === "pending" ? state.generation : state.generation + 1;
  return rotationConfig(generation, true);
}

/** The config phase 2 updates with: the previous key dropped. */
export function finishConfig(state: FinishableState): ConfigMap {
  return rotationConfig(state.generation, false);
}

/**
 * Opens an existing stack and reads where it is in a rotation. A missing stack is a MissingStackError;
 * a stack without resources (torn down with --keep-state, or never completed) has no key to rotate.
 */
export async function readRotation(
  target: PulumiTarget,
  ref: StackRef,
  options: { pulumiCommand?: PulumiCommand; onProgress?: ProgressReporter },
): Promise<Rotation> {
  const opened = await openStack(target, ref, { create: false, onProgress: options.onProgress ?? silentProgress, pulumiCommand: options.pulumiCommand });
  // One CLI command at a time: parallel ones in a workspace are not reliable (pulumi/pulumi#10523).
  const config = await readStackConfig(opened);
  const outputs = await readStackOutputs(opened, { showSecrets: false });
  const accessKeyId = outputs.accessKeyId?.value;
  const censusUserName = outputs.censusUserName?.value;
  if (typeof accessKeyId !== "string" || typeof censusUserName !== "string") throw emptyStackError(opened.stack.name, ref, await emptyStackReason(opened));
  return { opened, state: rotationState(config, outputs, opened.stack.name), accessKeyId, censusUserName };
}

/** Phase 1, or for a pending rotation whose new key still exists, only reading it back (a second run never makes a third key). */
export async function startRotation({ opened, state }: Rotation, options: UpdateOptions & { newKeyExists: boolean }): Promise<StartedRotation> {
  const stackName = opened.stack.name;
  if (state.phase === "pending" && options.newKeyExists) {
    const outputs = await readStackOutputs(opened, { showSecrets: true });
    return { created: false, values: censusValuesFrom(outputs, stackName, { showSecrets: true }), previousAccessKeyId: state.previousAccessKeyId };
  }
  const { outputs } = await updateStack(opened, startConfig(state), options);
  const previousAccessKeyId = outputText(outputs, "previousAccessKeyId");
  if (!previousAccessKeyId) {
    throw new PulumiError(`Stack ${stackName} lacks the output previousAccessKeyId after adding a key.`, "Run `census-pinpoint rotate-key` again.");
  }
  return { created: true, values: censusValuesFrom(outputs, stackName, { showSecrets: true }), previousAccessKeyId };
}

/** Phase 2: deletes the previous key (or completes an interrupted deletion). */
export async function finishRotation(opened: OpenStack, state: FinishableState, options: UpdateOptions): Promise<FinishedRotation> {
  const { outputs } = await updateStack(opened, finishConfig(state), options);
  return { deletedAccessKeyId: state.previousAccessKeyId, values: censusValuesFrom(outputs, opened.stack.name, { showSecrets: false }) };
}
