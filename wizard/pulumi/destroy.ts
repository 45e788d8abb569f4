/**
 * Tearing a stack down through the Automation API: a destroy preview (what would be deleted), the
 * destroy itself with progress, and removing the stack from the backend together with its work dir.
 * Never prints: progress goes to `onProgress`, failures are thrown as the CLI's typed errors.
 */
import { rm } from "node:fs/promises";
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import type { ProgressReporter } from "../progress.js";
import { engineOutput, resourceName, trackEngineEvents, worthShowing } from "./events.js";
import { stopSignalOf } from "../interrupt.js";
import { plannedChange, type PlannedChange } from "./changePlan.js";
import { interruptedError, pulumiFailureToCliError } from "./failure.js";
import type { OpenStack } from "./openStack.js";
import type { UpdateOptions } from "./updateStack.js";

export interface StackResource {
  type: string;
  name: string;
}

/** Collects the resources whose step `pick` selects, once each, in the engine's order. */
function resourceCollector(pick: (event: EngineEvent) => EngineEvent["resourcePreEvent"] | EngineEvent["resOutputsEvent"]) {
  const found = new Map<string, StackResource>();
  return {
    onEvent(event: EngineEvent) {
      const metadata = pick(event)?.metadata;
      // Components and Pulumi's own bookkeeping exist only in the state.
      const custom = metadata?.new?.custom ?? metadata?.old?.custom;
      if (metadata?.op === "delete" && custom && worthShowing(metadata)) found.set(metadata.urn, { type: metadata.type, name: resourceName(metadata.urn) });
    },
    get resources() {
      return [...found.values()];
    },
  };
}

/** What a destroy would delete in AWS, each by its AWS name (state-only resources left out); changes nothing. */
export async function previewDestroy({ stack, context }: OpenStack, options: { onProgress: ProgressReporter; verbose?: boolean }): Promise<PlannedChange[]> {
  const planned = new Map<string, PlannedChange>();
  const output = engineOutput(options.onProgress, options.verbose);
  try {
    await stack.previewDestroy({
      onEvent: (event) => {
        const change = plannedChange(event);
        if (change) planned.set(event.resourcePreEvent!.metadata.urn, change);
      },
      onOutput: output.onOutput,
      onError: output.onError,
      color: "never",
    });
    return [...planned.values()];
  } catch (error) {
    throw pulumiFailureToCliError(error, context);
  } finally {
    output.flush();
  }
}

/**
 * Deletes every resource of the stack and returns what was deleted. The stack and its history stay;
 * `removeStack` removes them. The staging bucket goes even when it holds files (`forceDestroy` in
 * the component).
 */
export async function destroyStack({ stack, context }: OpenStack, options: UpdateOptions): Promise<StackResource[]> {
  const { resumeCommand } = options;
  const interruptedBy = () => stopSignalOf(options.signal);
  const tracker = trackEngineEvents(options.onProgress);
  const deleted = resourceCollector((event) => (event.resOutputsEvent?.planning ? undefined : event.resOutputsEvent));
  const output = engineOutput(options.onProgress, options.verbose);
  try {
    if (interruptedBy()) throw interruptedError({ ...context, resumeCommand, interruptedBy: interruptedBy() });
    await stack.destroy({
      onEvent: (event) => {
        tracker.onEvent(event);
        deleted.onEvent(event);
      },
      onOutput: output.onOutput,
      onError: output.onError,
      signal: options.signal,
      color: "never",
      showSecrets: false,
    });
    return deleted.resources;
  } catch (error) {
    throw pulumiFailureToCliError(error, { ...context, resumeCommand, failures: tracker.failures, interruptedBy: interruptedBy() });
  } finally {
    output.flush();
  }
}

/**
 * Removes the (empty) stack and its history from the backend, then its work dir, which holds the
 * stack's config file. Pulumi refuses to remove a stack that still has resources, so this cannot
 * orphan anything.
 */
export async function removeStack({ stack, workDir, context }: OpenStack): Promise<void> {
  try {
    await stack.workspace.removeStack(stack.name);
  } catch (error) {
    throw pulumiFailureToCliError(error, context);
  }
  await rm(workDir, { recursive: true, force: true });
}
