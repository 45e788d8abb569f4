/**
 * What a stack's state records, read with a plain `pulumi stack export`: the SDK's exportStack
 * decrypts every secret, this keeps them sealed. Pulumi records each resource as soon as it is
 * created, so an update that failed or was stopped half-way owns its resources before the stack has
 * any outputs; a run that was killed outright also leaves "pending" operations it could not finish.
 */
import type { Stack } from "@pulumi/pulumi/automation/index.js";
import { runStackCommand } from "./stackCommand.js";

export interface StateResource {
  urn: string;
  type: string;
  /** The provider's ID; absent for a create that never finished. */
  id?: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

export interface StackState {
  resources: StateResource[];
  /** Creates a killed run had started: Pulumi cannot tell whether AWS finished them. */
  pendingCreates: StateResource[];
}

interface ExportedResource {
  urn?: string;
  type?: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

interface Exported {
  deployment?: { resources?: ExportedResource[]; pending_operations?: Array<{ type?: string; resource?: ExportedResource }> };
}

function resource(exported: ExportedResource): StateResource {
  return { urn: exported.urn ?? "", type: exported.type ?? "", id: exported.id || undefined, inputs: exported.inputs ?? {}, outputs: exported.outputs ?? {} };
}

export function parseStackState(json: string): StackState {
  const { deployment } = JSON.parse(json) as Exported;
  return {
    resources: (deployment?.resources ?? []).map(resource),
    pendingCreates: (deployment?.pending_operations ?? []).filter((op) => op.type === "creating" && op.resource).map((op) => resource(op.resource!)),
  };
}

export async function readStackState(stack: Stack): Promise<StackState> {
  return parseStackState(await runStackCommand(stack, ["stack", "export"]));
}
