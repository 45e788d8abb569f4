/**
 * What differs in AWS from a stack's last update, from a refresh preview (`pulumi refresh
 * --preview-only`): the engine reads every resource the state holds and says, per resource, whether a
 * refresh would drop it from the state (it is gone from AWS) or change what the state records (it was
 * changed in AWS). Nothing is written. What the state never held, such as a policy attached by hand to
 * the Census user, cannot show here (aws/userAccess.ts looks for that).
 */
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import type { ProgressReporter } from "../progress.js";
import { engineOutput, resourceName, trackEngineEvents } from "./events.js";
import { pulumiFailureToCliError } from "./failure.js";
import { describeResource } from "./resourceLabels.js";
import type { OpenStack } from "./openStack.js";

/** One value in the state that AWS now has otherwise, by its path in the resource's outputs. */
export interface ChangedProperty {
  /** e.g. `rules[0].expiration.days`. */
  path: string;
  /** Absent: the property was not there (added in AWS). Secret values read "[secret]". */
  before?: unknown;
  /** Absent: the property is gone in AWS. */
  after?: unknown;
}

interface DriftedResource {
  /** Pulumi type token. */
  type: string;
  /** Pulumi's name for it in the stack. */
  name: string;
  /** The resource in words, with its AWS name ("lifecycle rule of bucket census-…"). */
  description: string;
  /** Its ID in AWS (a bucket's name, an access key's ID). */
  id?: string;
}

export type Drift =
  | (DriftedResource & {
      change: "gone";
      /** The resource's children the state holds, gone with it (a bucket's settings, a user's key). */
      alsoGone: string[];
    })
  | (DriftedResource & { change: "changed"; properties: ChangedProperty[] });

/** How the engine marks a secret value in an event's state (the value itself is "[secret]"). */
const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function masked(value: unknown): unknown {
  return isObject(value) && SECRET_SIGNATURE in value ? "[secret]" : value;
}

/**
 * The leaves that differ between two states of a resource. The engine calls a refresh an update when
 * the outputs differ, but on 3.248 it sends neither `diffs` nor `detailedDiff` with it, so the paths
 * are worked out here.
 */
export function changedProperties(before: unknown, after: unknown, path = ""): ChangedProperty[] {
  const [old, now] = [masked(before), masked(after)];
  const child = (key: string | number) => (typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key);
  if (isObject(old) && isObject(now)) {
    const keys = [...new Set([...Object.keys(old), ...Object.keys(now)])].sort();
    return keys.flatMap((key) => changedProperties(old[key], now[key], child(key)));
  }
  if (Array.isArray(old) && Array.isArray(now)) {
    return Array.from({ length: Math.max(old.length, now.length) }, (_, index) => changedProperties(old[index], now[index], child(index))).flat();
  }
  if (JSON.stringify(old) === JSON.stringify(now)) return [];
  return [{ path, ...(old === undefined ? {} : { before: old }), ...(now === undefined ? {} : { after: now }) }];
}

interface EventDrift {
  urn: string;
  /** The parent's URN in the state: a gone child of a gone parent is folded into the parent. */
  parent?: string;
  drift: Drift;
}

/** The drift a refresh preview's event reports, when it is about a resource in AWS. */
export function driftOf(event: EngineEvent): EventDrift | undefined {
  const metadata = event.resOutputsEvent?.metadata;
  const old = metadata?.old;
  if (!metadata || !old?.custom || metadata.type.startsWith("pulumi:")) return undefined;
  if (metadata.op !== "delete" && metadata.op !== "update") return undefined;
  const id = old.id || undefined;
  const resource = {
    type: metadata.type,
    name: resourceName(metadata.urn),
    description: describeResource(metadata.type, { inputs: old.inputs, outputs: old.outputs, id }),
    ...(id ? { id } : {}),
  };
  const drift: Drift =
    metadata.op === "delete"
      ? { ...resource, change: "gone", alsoGone: [] }
      : { ...resource, change: "changed", properties: changedProperties(old.outputs, metadata.new?.outputs) };
  return { urn: metadata.urn, ...(old.parent ? { parent: old.parent } : {}), drift };
}

/**
 * One finding per cause: a resource gone with its parent (a deleted bucket takes its lifecycle rule
 * and other settings along) is named under the parent, not as a finding of its own.
 */
export function foldIntoGoneParents(found: readonly EventDrift[]): Drift[] {
  const gone = new Map(found.filter(({ drift }) => drift.change === "gone").map((entry) => [entry.urn, entry]));
  const topGoneAncestor = (entry: EventDrift): EventDrift | undefined => {
    let top: EventDrift | undefined;
    for (let parent = gone.get(entry.parent ?? ""); parent; parent = gone.get(parent.parent ?? "")) top = parent;
    return top;
  };
  const kept: EventDrift[] = [];
  const alsoGone = new Map<string, string[]>();
  for (const entry of found) {
    const ancestor = entry.drift.change === "gone" ? topGoneAncestor(entry) : undefined;
    if (ancestor) alsoGone.set(ancestor.urn, [...(alsoGone.get(ancestor.urn) ?? []), entry.drift.description]);
    else kept.push(entry);
  }
  return kept
    .map(({ urn, drift }) => (drift.change === "gone" ? { ...drift, alsoGone: (alsoGone.get(urn) ?? []).sort() } : drift))
    .sort((a, b) => a.description.localeCompare(b.description));
}

/** Every resource of the stack that differs in AWS from its state, in words; empty when AWS matches. */
export async function previewDrift({ stack, context }: OpenStack, options: { onProgress: ProgressReporter; verbose?: boolean }): Promise<Drift[]> {
  const found: EventDrift[] = [];
  const tracker = trackEngineEvents(options.onProgress);
  const output = engineOutput(options.onProgress, options.verbose);
  try {
    await stack.previewRefresh({
      color: "never",
      onOutput: output.onOutput,
      onError: output.onError,
      onEvent: (event) => {
        tracker.onEvent(event);
        const drift = driftOf(event);
        if (drift) found.push(drift);
      },
    });
    return foldIntoGoneParents(found);
  } catch (error) {
    throw pulumiFailureToCliError(error, { ...context, failures: tracker.failures });
  } finally {
    output.flush();
  }
}
