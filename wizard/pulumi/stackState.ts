/**
 * What a stack's state records, read with a plain `pulumi stack export`: the SDK's exportStack
 * decrypts every secret, this keeps them sealed. Pulumi records each resource as soon as it is
 * created, so an update that failed or was stopped half-way owns its resources before the stack has
 * any outputs; a run that was killed outright also leaves "pending" operations it could not finish.
 */
import type { Stack } from "@pulumi/pulumi/automation/index.js";
import type { RecordedResources } from "../aws/leftovers.js";
import type { RecordedAccess } from "../aws/userAccess.js";
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

function recordedId(resource: StateResource, output: string): string | undefined {
  const value = resource.outputs[output];
  return typeof value === "string" && value !== "" ? value : resource.id;
}

/** What the state holds in AWS, by the IDs the provider gave them: what teardown checks is gone. */
export function recordedResources({ resources }: StackState): RecordedResources {
  const ids = (type: string, output: string) => resources.filter((r) => r.type === type).flatMap((r) => recordedId(r, output) ?? []);
  return {
    buckets: ids("aws:s3/bucket:Bucket", "bucket"),
    users: ids("aws:iam/user:User", "name"),
    groups: ids("aws:iam/group:Group", "name"),
    roles: ids("aws:iam/role:Role", "name"),
    policyArns: ids("aws:iam/policy:Policy", "arn"),
  };
}

function texts(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** The groups the state puts the user in, and the managed policies it attaches to each: all a Census user should have. */
export function recordedAccess({ resources }: StackState, userName: string): RecordedAccess {
  const groups = resources
    .filter((r) => r.type === "aws:iam/userGroupMembership:UserGroupMembership" && r.outputs.user === userName)
    .flatMap((r) => texts(r.outputs.groups));
  const policyArnsOf = (group: string) =>
    resources.filter((r) => r.type === "aws:iam/groupPolicyAttachment:GroupPolicyAttachment" && r.outputs.group === group).flatMap((r) => texts([r.outputs.policyArn]));
  return { userName, groups: groups.map((name) => ({ name, policyArns: policyArnsOf(name) })) };
}

const IAM_ARN = /^arn:[^:]+:iam::(\d{12}):/;

/** The account the stack's resources are in, from the ARNs its state recorded (none before anything was created). */
export function stateAccountId({ resources }: StackState): string | undefined {
  for (const resource of resources) {
    const match = IAM_ARN.exec(typeof resource.outputs.arn === "string" ? resource.outputs.arn : "");
    if (match) return match[1];
  }
  return undefined;
}
