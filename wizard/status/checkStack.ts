/**
 * One stack's status, read-only: its outputs, config and last update from the backend; what differs in
 * AWS from a refresh preview; then from IAM and Pinpoint what the state cannot tell (access the stack
 * did not give, the keys' age and last use, whether the project answers). Never prints: progress goes
 * to `onProgress`, failures are thrown typed.
 */
import type { PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import { stackName } from "../../infra/names.js";
import { accessKeysOf, keyLastUse, type AccessKeyRecord, type KeyLastUse } from "../aws/accessKeys.js";
import { ageInDays } from "../aws/keyAge.js";
import { findPinpointProject } from "../aws/pinpoint.js";
import { extraAccessOf } from "../aws/userAccess.js";
import type { ProgressReporter } from "../progress.js";
import { previewDrift } from "../pulumi/drift.js";
import { pulumiFailureToCliError } from "../pulumi/failure.js";
import { rotationState } from "../pulumi/keyRotation.js";
import { readLastUpdate } from "../pulumi/lastUpdate.js";
import { readStackState, recordedAccess } from "../pulumi/stackState.js";
import { emptyStackError, emptyStackReason } from "../pulumi/emptyStack.js";
import { openStack, type OpenStack } from "../pulumi/openStack.js";
import { outputText } from "../pulumi/outputs.js";
import { readStackConfig, readStackOutputs } from "../pulumi/stackReads.js";
import type { PulumiTarget, StackRef } from "../pulumi/stackTarget.js";
import { findingsOf, type FixCommands } from "./findings.js";
import type { KeyStatus, StackStatus } from "./report.js";

export interface CheckOptions {
  onProgress: ProgressReporter;
  pulumiCommand?: PulumiCommand;
  /** Report the CLI's raw output of the refresh preview. */
  verbose?: boolean;
  /** The fixes' command lines for this stack. */
  commands: FixCommands;
  /** Milliseconds since the epoch, for the keys' age. */
  now: number;
}

const HELD_ORDER: KeyStatus["heldAs"][] = ["current", "previous", "not-in-stack"];

/** The user's keys as IAM has them, with what the stack holds each as; Census's key first. */
export function keyStatuses(records: readonly AccessKeyRecord[], lastUses: readonly KeyLastUse[], held: { current: string; previous?: string }, now: number): KeyStatus[] {
  return records
    .map((record, index): KeyStatus => {
      const createdAt = record.createdAt?.toISOString();
      const use = lastUses[index];
      return {
        accessKeyId: record.id,
        heldAs: record.id === held.current ? "current" : record.id === held.previous ? "previous" : "not-in-stack",
        active: record.active,
        createdAt: createdAt ?? null,
        ageDays: ageInDays(createdAt, now) ?? null,
        lastUsed: use?.at ? { at: use.at.toISOString(), ...(use.service ? { service: use.service } : {}), ...(use.region ? { region: use.region } : {}) } : null,
      };
    })
    .sort((a, b) => HELD_ORDER.indexOf(a.heldAs) - HELD_ORDER.indexOf(b.heldAs));
}

async function readState(opened: OpenStack) {
  try {
    return await readStackState(opened.stack);
  } catch (error) {
    throw pulumiFailureToCliError(error, opened.context);
  }
}

export async function checkStack(target: PulumiTarget, ref: StackRef, options: CheckOptions): Promise<StackStatus> {
  const { onProgress } = options;
  const name = stackName(ref.region, ref.projectId);
  onProgress({ kind: "step", message: `Reading stack ${name}` });
  const opened = await openStack(target, ref, { create: false, onProgress, pulumiCommand: options.pulumiCommand });
  // One CLI command at a time: parallel ones in a workspace are not reliable (pulumi/pulumi#10523).
  const outputs = await readStackOutputs(opened, { showSecrets: false });
  const lastUpdate = await readLastUpdate(opened);
  const known = { stackName: name, region: ref.region, projectId: ref.projectId };
  const accessKeyId = outputText(outputs, "accessKeyId");
  const censusUserName = outputText(outputs, "censusUserName");
  if (accessKeyId === undefined || censusUserName === undefined) {
    const reason = await emptyStackReason(opened);
    const { message, hint = "" } = emptyStackError(name, ref, reason);
    const notChecked = { lastUpdate: lastUpdate ?? null, stagingBucketName: null, censusUserName: null, keys: [], rotation: null, pinpoint: null };
    // Nothing in AWS and nothing in the state is what teardown --keep-state leaves: in order.
    return reason === "resources-deleted"
      ? { ...known, state: "resources-deleted", ok: true, note: `${message} ${hint}`, ...notChecked, findings: [] }
      : { ...known, state: "never-completed", ok: false, ...notChecked, findings: [{ kind: "incomplete", problem: message, todo: hint }] };
  }
  const rotation = rotationState(await readStackConfig(opened), outputs, name);

  onProgress({ kind: "step", message: `Comparing stack ${name} with AWS (a refresh preview: nothing is changed)` });
  const drift = await previewDrift(opened, { onProgress, verbose: options.verbose });
  const state = await readState(opened);

  onProgress({ kind: "step", message: `Checking the access and keys of IAM user ${censusUserName}, and Pinpoint project ${ref.projectId}` });
  const { aws } = opened;
  const [extraAccess, records, pinpoint] = await Promise.all([
    extraAccessOf(aws, recordedAccess(state, censusUserName)),
    accessKeysOf(aws, censusUserName),
    findPinpointProject(aws, ref.projectId),
  ]);
  const lastUses = await Promise.all(records.map((record) => keyLastUse(aws, record.id)));
  const keys = keyStatuses(records, lastUses, { current: accessKeyId, previous: outputText(outputs, "previousAccessKeyId") }, options.now);
  const findings = findingsOf({ region: ref.region, projectId: ref.projectId, censusUserName, drift, extraAccess, keys, rotation, pinpoint }, options.commands);
  return {
    ...known,
    state: "checked",
    ok: findings.length === 0,
    lastUpdate: lastUpdate ?? null,
    stagingBucketName: outputText(outputs, "stagingBucketName") ?? null,
    censusUserName,
    keys,
    rotation,
    pinpoint,
    findings,
  };
}
