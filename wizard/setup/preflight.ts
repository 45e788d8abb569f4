/**
 * What `setup` checks, read-only, before it writes anything, once the Pinpoint project is confirmed
 * (projectCheck.ts): the stack's state if it exists, and every name setup would use: the bucket, the
 * importer role and its policy, the Census user, group and policy. A name held by something the
 * stack's state does not hold stops the run here, naming who holds it (a census-pinpoint stack's tags
 * say which project) and the flag that picks another: otherwise the update would fail half-way, on a
 * name no re-run can get.
 */
import type { PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import {
  censusGroupName,
  censusPolicyName,
  defaultBucketName,
  defaultCensusUserName,
  defaultImporterRoleName,
  importerPolicyName,
  stackName,
} from "../../infra/names.js";
import { partitionOf } from "../../infra/regions.js";
import { NAMED_TYPES, type NamedType } from "../aws/namedTypes.js";
import { setupCommandLine, stackCommandLine } from "../commands/commandLine.js";
import { flagSpelling, type FlagKey } from "../commands/flagRegistry.js";
import { AwsCredentialsError, AwsRequestError, MissingStackError, UsageError } from "../errors.js";
import type { PulumiTarget } from "../pulumi/stackTarget.js";
import type { OpenStack } from "../pulumi/openStack.js";
import type { StackState } from "../pulumi/stackState.js";
import type { ProgressReporter } from "../progress.js";
import type { SetupInputs } from "./inputs.js";
import type { AwsTarget } from "../aws/target.js";

export interface ExistingStack {
  opened: OpenStack;
  /** The staging bucket's name, from the outputs (absent until an update of the stack completed). */
  bucketName?: string;
  state: StackState;
}

export interface Preflight {
  stackName: string;
  /** The stack, when it exists already. */
  existing?: ExistingStack;
  bucketName: string;
}

interface NameClaim {
  what: string;
  type: NamedType;
  /** The provider's ID: the name, or a policy's ARN. */
  id: string;
  name: string;
  /** The flag that picks another name (a group's and a policy's names follow the user's and the role's). */
  flag: FlagKey;
}

function claims(inputs: SetupInputs, bucketName: string, accountId: string): NameClaim[] {
  const partition = partitionOf(inputs.region);
  const role = inputs.importerRoleName ?? defaultImporterRoleName(inputs.projectId);
  const user = inputs.censusUserName ?? defaultCensusUserName(inputs.projectId);
  const policy = (name: string, flag: FlagKey): NameClaim => ({ what: "IAM policy", type: NAMED_TYPES.policy, id: `arn:${partition}:iam::${accountId}:policy/${name}`, name, flag });
  return [
    { what: "S3 bucket", type: NAMED_TYPES.bucket, id: bucketName, name: bucketName, flag: "bucketName" },
    { what: "IAM role", type: NAMED_TYPES.role, id: role, name: role, flag: "importerRoleName" },
    policy(importerPolicyName(role), "importerRoleName"),
    { what: "IAM user", type: NAMED_TYPES.user, id: user, name: user, flag: "censusUserName" },
    { what: "IAM group", type: NAMED_TYPES.group, id: censusGroupName(user), name: censusGroupName(user), flag: "censusUserName" },
    policy(censusPolicyName(user), "censusUserName"),
  ];
}

/** `<type>::<id>` of everything the state holds, or that a killed run had started creating (it is adopted). */
async function heldByState(state: StackState | undefined, accountId: string, partition: string): Promise<Set<string>> {
  if (!state) return new Set();
  const [{ recordedResources }, { providerId }] = await Promise.all([import("../pulumi/stackState.js"), import("../pulumi/interruptedCreates.js")]);
  const recorded = recordedResources(state);
  const held = [
    ...recorded.buckets.map((id) => `${NAMED_TYPES.bucket}::${id}`),
    ...recorded.roles.map((id) => `${NAMED_TYPES.role}::${id}`),
    ...recorded.users.map((id) => `${NAMED_TYPES.user}::${id}`),
    ...recorded.groups.map((id) => `${NAMED_TYPES.group}::${id}`),
    ...recorded.policyArns.map((id) => `${NAMED_TYPES.policy}::${id}`),
    ...state.pendingCreates.flatMap((create) => {
      const named = providerId(create, { accountId, partition });
      return named ? [`${named.type}::${named.id}`] : [];
    }),
  ];
  return new Set(held);
}

function holderText(projectId: string | undefined, ownProject: string): string {
  if (projectId === ownProject) {
    return "another census-pinpoint stack of this same Pinpoint project made it (on another machine, with another CENSUS_PINPOINT_HOME, or in another backend)";
  }
  return projectId ? `the census-pinpoint stack of Pinpoint project ${projectId} made it` : "it was made outside this stack";
}

/** Every name held by something outside the stack's state, all reported at once. */
async function checkNames(aws: AwsTarget, inputs: SetupInputs, bucketName: string, accountId: string, existing: ExistingStack | undefined, adoptedBucket?: string): Promise<void> {
  const { nameHolder } = await import("../aws/nameHolders.js");
  const { bucketTakenMessage } = await import("../aws/bucket.js");
  const held = await heldByState(existing?.state, accountId, partitionOf(inputs.region));
  const conflicts: Array<{ claim: NameClaim; projectId?: string }> = [];
  for (const claim of claims(inputs, bucketName, accountId)) {
    if (held.has(`${claim.type}::${claim.id}`)) continue;
    // The bucket adopt takes over exists by definition; the user named it to be taken.
    if (claim.type === NAMED_TYPES.bucket && claim.id === adoptedBucket) continue;
    const holder = await nameHolder(aws, claim.type, claim.id);
    if (!holder.held) continue;
    if (holder.by === "another-account") throw new AwsRequestError(bucketTakenMessage(bucketName, accountId, inputs.region, inputs.projectId));
    conflicts.push({ claim, projectId: holder.projectId });
  }
  if (conflicts.length === 0) return;
  const sameProject = conflicts.some(({ projectId }) => projectId === inputs.projectId);
  const flags = [...new Set(conflicts.map(({ claim }) => claim.flag))];
  throw new UsageError(
    conflicts.map(({ claim, projectId }) => `The ${claim.what} name "${claim.name}" is taken: ${holderText(projectId, inputs.projectId)}.`).join("\n"),
    (sameProject ? `Run census-pinpoint where that stack is (or pass the ${flagSpelling("backendUrl")} that holds it), or pick` : "Pick") +
      ` other names with ${flags.map((flag) => `${flagSpelling(flag)} <name>`).join(" and ")}. Nothing was created; census-pinpoint never takes over, changes or deletes what its stack did not create.`,
  );
}

/** What the preflight runs with: where its progress goes, and a test's Pulumi CLI. */
export interface PreflightOptions {
  onProgress: ProgressReporter;
  pulumiCommand?: PulumiCommand;
}

/** The stack and what its state holds, or undefined when there is none yet. */
async function openExistingStack(target: PulumiTarget, inputs: SetupInputs, options: PreflightOptions): Promise<ExistingStack | undefined> {
  const [{ openStack }, { readStackOutputs }, { readStackState }] = await Promise.all([
    import("../pulumi/openStack.js"),
    import("../pulumi/stackReads.js"),
    import("../pulumi/stackState.js"),
  ]);
  let opened: OpenStack;
  try {
    // Reading never generates a passphrase, so there is no progress to report.
    opened = await openStack(target, inputs, { create: false, ...options });
  } catch (error) {
    if (error instanceof MissingStackError) return undefined;
    throw error;
  }
  const fromOutputs = (await readStackOutputs(opened, { showSecrets: false })).stagingBucketName?.value;
  const state = await readStackState(opened.stack);
  // Before a first update completes there are no outputs, but the state (or a killed run's pending
  // create) may already hold the bucket.
  const fromState = [...state.resources, ...state.pendingCreates].find((resource) => resource.type === NAMED_TYPES.bucket);
  const bucketName = typeof fromOutputs === "string" ? fromOutputs : (fromState?.outputs.bucket ?? fromState?.inputs.bucket);
  return { opened, bucketName: typeof bucketName === "string" ? bucketName : undefined, state };
}

/** Where a refused or unusable credential leaves the user: doctor checks every permission setup needs at once. */
export const DOCTOR_HINT = "`census-pinpoint doctor` checks all the permissions setup needs.";

export function pointingToDoctor(error: unknown): unknown {
  if (!(error instanceof AwsCredentialsError)) return error;
  return new AwsCredentialsError(error.message, error.hint ? `${error.hint} ${DOCTOR_HINT}` : DOCTOR_HINT);
}

/** `adoptedBucket`: the hand-made bucket `adopt` takes over, which must exist instead of being free. */
export async function runPreflight(target: PulumiTarget, aws: AwsTarget, inputs: SetupInputs, accountId: string, options: PreflightOptions, adoptedBucket?: string): Promise<Preflight> {
  try {
    return await preflight(target, aws, inputs, accountId, options, adoptedBucket);
  } catch (error) {
    throw pointingToDoctor(error);
  }
}

async function preflight(target: PulumiTarget, aws: AwsTarget, inputs: SetupInputs, accountId: string, options: PreflightOptions, adoptedBucket?: string): Promise<Preflight> {
  const { onProgress } = options;
  onProgress({ kind: "step", message: "Checking the stack's state" });
  const existing = await openExistingStack(target, inputs, options);
  const bucketName = inputs.bucketName ?? existing?.bucketName ?? defaultBucketName(accountId, inputs.region, inputs.projectId);
  onProgress({ kind: "step", message: "Checking that the bucket, role, user, group and policy names are free or this stack's" });
  const name = stackName(inputs.region, inputs.projectId);
  if (adoptedBucket !== undefined && existing?.bucketName !== undefined && existing.bucketName !== adoptedBucket) {
    throw new UsageError(
      `Stack ${name} already manages Pinpoint project ${inputs.projectId}, with the S3 bucket "${existing.bucketName}": adopt takes a bucket made by hand into a new stack.`,
      `Update that stack with \`${setupCommandLine(inputs, {})}\`, or remove it with \`${stackCommandLine("teardown", name, {})}\` if nothing uses it. Nothing was changed.`,
    );
  }
  await checkNames(aws, inputs, bucketName, accountId, existing, adoptedBucket);
  return { stackName: name, existing, bucketName };
}
