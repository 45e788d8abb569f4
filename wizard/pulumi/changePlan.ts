/**
 * What an update of an existing stack would do, from a real Pulumi preview of it. The preview reads
 * the live resources from AWS first (a refresh), so what was deleted or changed by hand shows as the
 * change that puts it back. Nothing is written: the new config reaches the program as arguments, not
 * the stack's config, until the user agreed.
 */
import type { ConfigMap, EngineEvent, OpType } from "@pulumi/pulumi/automation/index.js";
import type { ProgressReporter } from "../progress.js";
import { engineOutput, resourceName } from "./events.js";
import { pulumiFailureToCliError } from "./failure.js";
import { configOverrides, stackProgram } from "./program.js";
import { describeResource } from "./resourceLabels.js";
import type { OpenStack } from "./openStack.js";

export type ChangeOp = "create" | "update" | "replace" | "delete";

export interface PlannedChange {
  op: ChangeOp;
  /** Pulumi type token. */
  type: string;
  /** Pulumi's name for it in the stack. */
  name: string;
  /** The resource in words, with its AWS name: the one that exists, or for a create the one to be. */
  description: string;
  /** For a rename (an update or a replacement under another AWS name): the resource it becomes, in words. */
  becomes?: string;
  /** Its ID in AWS when it exists (a bucket's name, an access key's ID). */
  id?: string;
}

const CHANGE_OPS: Partial<Record<OpType, ChangeOp>> = { create: "create", update: "update", replace: "replace", delete: "delete" };

/** The change a step event announces, when it is one to a resource in AWS. */
export function plannedChange(event: EngineEvent): PlannedChange | undefined {
  const metadata = event.resourcePreEvent?.metadata;
  const op = metadata && CHANGE_OPS[metadata.op];
  // Components and Pulumi's own bookkeeping exist only in the state.
  if (!op || !(metadata.new?.custom ?? metadata.old?.custom) || metadata.type.startsWith("pulumi:")) return undefined;
  const id = metadata.old?.id || undefined;
  const existing = metadata.old ? describeResource(metadata.type, { inputs: metadata.old.inputs, outputs: metadata.old.outputs, id }) : undefined;
  // An update keeps the resource (and its ID); a replacement makes a new one.
  const wanted = describeResource(metadata.type, { inputs: metadata.new?.inputs, id: op === "update" ? id : undefined });
  const becomes = (op === "replace" || op === "update") && existing !== undefined && wanted !== existing ? wanted : undefined;
  return {
    op,
    type: metadata.type,
    name: resourceName(metadata.urn),
    description: existing ?? wanted,
    ...(becomes ? { becomes } : {}),
    ...(id ? { id } : {}),
  };
}

export async function previewUpdate(
  { stack, context }: OpenStack,
  config: ConfigMap,
  options: { onProgress: ProgressReporter; verbose?: boolean },
): Promise<PlannedChange[]> {
  const changes = new Map<string, PlannedChange>();
  const output = engineOutput(options.onProgress, options.verbose);
  try {
    await stack.preview({
      program: stackProgram(configOverrides(config)),
      refresh: true,
      color: "never",
      onOutput: output.onOutput,
      onError: output.onError,
      onEvent: (event) => {
        const change = plannedChange(event);
        if (change) changes.set(event.resourcePreEvent!.metadata.urn, change);
      },
    });
    return [...changes.values()];
  } catch (error) {
    throw pulumiFailureToCliError(error, context);
  } finally {
    output.flush();
  }
}

const CENSUS_DEPENDS_ON = new Set(["aws:s3/bucket:Bucket", "aws:iam/user:User", "aws:iam/accessKey:AccessKey"]);

/**
 * The changes that take away something Census depends on: the staging bucket (and its files), the
 * Census user, or its access key, replaced or deleted. `expectedKeyDeletion` is the old key a rotation
 * is finishing with, which has its own question.
 */
export function destructiveChanges(changes: PlannedChange[], { expectedKeyDeletion }: { expectedKeyDeletion?: string } = {}): PlannedChange[] {
  return changes.filter(
    (change) =>
      (change.op === "replace" || change.op === "delete") &&
      CENSUS_DEPENDS_ON.has(change.type) &&
      !(change.op === "delete" && change.type === "aws:iam/accessKey:AccessKey" && change.id === expectedKeyDeletion),
  );
}
