/**
 * Resuming after a run that was killed outright (SIGKILL, a closed laptop, the machine going down)
 * while it created resources. The state then holds "pending CREATE" operations: Pulumi cannot tell
 * whether AWS made those resources, and its next update simply creates them again, which fails for
 * ever on each one AWS did make ("BucketAlreadyOwnedByYou", "EntityAlreadyExists"). Pulumi's own
 * repair is an interactive `pulumi refresh`, resource by resource.
 *
 * census-pinpoint chose each of these resources' names, so it asks AWS: a bucket, role, user, group
 * or policy that exists is adopted by the next update (Pulumi's `import`, after which the update
 * brings it in line with the program); everything else is dropped from the pending list and created
 * again. That is safe for the rest because their AWS calls are idempotent (settings of the bucket are
 * Put, attachments and group memberships are added), except an access key: one AWS made before the
 * kill cannot be adopted, since its secret was never recorded, so it is named in a warning.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PulumiFn, Stack } from "@pulumi/pulumi/automation/index.js";
import { accessKeysOf } from "../aws/accessKeys.js";
import { existsInAccount } from "../aws/existence.js";
import { NAMED_TYPES, type NamedType } from "../aws/namedTypes.js";
import { getCallerIdentity } from "../aws/identity.js";
import type { ProgressReporter } from "../progress.js";
import type { AwsTarget } from "../aws/target.js";
import { resourceName } from "./events.js";
import { readStackState, type StateResource } from "./stackState.js";

const ACCESS_KEY_TYPE = "aws:iam/accessKey:AccessKey";

/** `<type>::<logical name>` → the provider ID the update imports. */
export type Adoptions = Map<string, string>;

export function adoptionKey(type: string, name: string): string {
  return `${type}::${name}`;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The ID the AWS provider gives a resource of a named type, from the inputs it was being created with. */
export function providerId(create: StateResource, scope: { partition: string; accountId: string }): { type: NamedType; id: string } | undefined {
  switch (create.type) {
    case NAMED_TYPES.bucket: {
      const id = text(create.inputs.bucket);
      return id ? { type: NAMED_TYPES.bucket, id } : undefined;
    }
    case NAMED_TYPES.role:
    case NAMED_TYPES.user:
    case NAMED_TYPES.group: {
      const id = text(create.inputs.name);
      return id ? { type: create.type, id } : undefined;
    }
    case NAMED_TYPES.policy: {
      const name = text(create.inputs.name);
      return name ? { type: NAMED_TYPES.policy, id: `arn:${scope.partition}:iam::${scope.accountId}:policy/${name}` } : undefined;
    }
  }
  return undefined;
}

/**
 * Resolves the stack's pending creates, if any, and returns what the next update must adopt. Changes
 * the state only by dropping the pending entries (`pulumi refresh --clear-pending-creates`).
 */
export async function resolveInterruptedCreates(stack: Stack, aws: AwsTarget, onProgress: ProgressReporter): Promise<Adoptions> {
  const adoptions: Adoptions = new Map();
  const { resources, pendingCreates } = await readStackState(stack);
  if (pendingCreates.length === 0) return adoptions;
  onProgress({ kind: "step", message: `Checking in AWS what the interrupted run had created (${pendingCreates.length} unfinished)` });
  const caller = await getCallerIdentity(aws);
  const scope = { accountId: caller.accountId, partition: /^arn:([^:]+):/.exec(caller.arn)?.[1] ?? "aws" };
  for (const create of pendingCreates) {
    const named = providerId(create, scope);
    if (named && (await existsInAccount(aws, named.type, named.id))) adoptions.set(adoptionKey(create.type, resourceName(create.urn)), named.id);
  }
  const strayKeys = await keysNoStateHolds(aws, pendingCreates, resources);
  await stack.refresh({ clearPendingCreates: true, color: "never" });
  onProgress({
    kind: "info",
    message:
      "A run that was stopped abruptly had left resources half-created.\n" +
      (adoptions.size > 0 ? `These exist in AWS and the stack takes them back: ${[...adoptions.values()].join(", ")}. ` : "") +
      `The rest of the ${pendingCreates.length} unfinished are created now.`,
  });
  for (const { user, keyId } of strayKeys) {
    onProgress({
      kind: "warning",
      message:
        `IAM user ${user} has an access key, ${keyId}, that the stack does not hold: most likely the stopped run created it, and then its secret was never recorded. ` +
        "IAM allows two keys per user and `census-pinpoint rotate-key` needs a free place: if nobody uses that key, delete it in IAM.",
    });
  }
  return adoptions;
}

/** Keys of the users a killed run was making a key for, which no access key in the state is. */
async function keysNoStateHolds(aws: AwsTarget, pendingCreates: StateResource[], resources: StateResource[]) {
  const held = new Set(resources.filter((r) => r.type === ACCESS_KEY_TYPE).map((r) => r.id));
  const users = new Set(pendingCreates.filter((create) => create.type === ACCESS_KEY_TYPE).flatMap((create) => text(create.inputs.user) ?? []));
  const stray: Array<{ user: string; keyId: string }> = [];
  for (const user of users) for (const key of await accessKeysOf(aws, user)) if (!held.has(key.id)) stray.push({ user, keyId: key.id });
  return stray;
}

/** `program`, with every resource in `adoptions` imported by its ID instead of created. */
export function adoptingProgram(program: PulumiFn, adoptions: Adoptions): PulumiFn {
  if (adoptions.size === 0) return program;
  return async () => {
    pulumi.runtime.registerResourceTransform(({ type, name, props, opts }) => {
      const id = adoptions.get(adoptionKey(type, name));
      return id === undefined ? undefined : { props, opts: { ...opts, import: id } };
    });
    return program();
  };
}
