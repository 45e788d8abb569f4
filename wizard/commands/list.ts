/**
 * `list`: every census-pinpoint stack in the backend, with the age of its access key and whether
 * Amazon Pinpoint still answers for its project. A stack whose project is gone, or refused since
 * Pinpoint's end of support, is a candidate for `teardown`: its key is a live credential for an import
 * that cannot run. A stack whose outputs cannot be read still appears, with what its name tells and
 * why the rest is missing.
 */
import { ageInDays, KEY_AGE_LIMIT_DAYS } from "../aws/keyAge.js";
import { END_OF_SUPPORT, findPinpointProjects, type PinpointProjectLookup } from "../aws/pinpoint.js";
import { pulumiTargetFrom } from "./flags.js";
import type { CommandOptions } from "./commandFlags.js";
import type { CommandContext } from "./context.js";
import { flagSpelling } from "./flagRegistry.js";
import { CliError } from "../errors.js";
import { listStacks, type StackListing } from "../pulumi/stacks.js";
import { emptyStackError, emptyStackReason } from "../pulumi/emptyStack.js";
import { openStack, type OpenStack } from "../pulumi/openStack.js";
import { outputText, type StackOutputs } from "../pulumi/outputs.js";
import { readStackOutputs } from "../pulumi/stackReads.js";
import type { PulumiTarget } from "../pulumi/stackTarget.js";
import { stackCommandLine } from "./commandLine.js";

/** What Amazon Pinpoint says about a stack's project; `unknown` when it could not be asked or gave no clear answer. */
type PinpointAnswer = "found" | "not-found" | "end-of-support" | "unknown";

interface ProjectAnswer {
  pinpoint: PinpointAnswer;
  /** Why the answer is `unknown`, when Pinpoint was asked. */
  pinpointReason?: string;
}

interface StackRow extends ProjectAnswer {
  stackName: string;
  region?: string;
  projectId?: string;
  stagingBucketName?: string;
  censusUserName?: string;
  accessKeyId?: string;
  accessKeyCreatedAt?: string;
  keyAgeDays?: number;
  keyNeedsRotation: boolean;
  rotationPending: boolean;
  lastUpdate?: string;
  updateInProgress: boolean;
  /** Why something is missing or what needs doing, in a few words. */
  note?: string;
  /** The full explanation when the outputs could not be read. */
  problem?: string;
  /** The project no longer answers (not found, or refused since Pinpoint's end of support). */
  teardownCandidate: boolean;
}

type OutputsRow = Omit<StackRow, keyof ProjectAnswer | "teardownCandidate">;

async function describeStack(listing: StackListing, target: PulumiTarget, context: CommandContext, now: number): Promise<OutputsRow> {
  const known: OutputsRow = {
    stackName: listing.name,
    region: listing.ref?.region,
    projectId: listing.ref?.projectId,
    keyNeedsRotation: false,
    rotationPending: false,
    lastUpdate: listing.lastUpdate,
    updateInProgress: listing.updateInProgress,
  };
  if (!listing.ref) return { ...known, note: "not named <region>-<projectId>: not made by census-pinpoint" };
  let outputs: StackOutputs;
  let opened: OpenStack;
  try {
    opened = await openStack(target, listing.ref, { create: false, onProgress: context.render.progress, pulumiCommand: context.pulumiCommand });
    outputs = await readStackOutputs(opened, { showSecrets: false });
    if (outputText(outputs, "accessKeyId") === undefined) {
      if (listing.updateInProgress) return { ...known, note: "update in progress" };
      const reason = await emptyStackReason(opened);
      const error = emptyStackError(listing.name, listing.ref, reason);
      return {
        ...known,
        note: reason === "resources-deleted" ? "resources deleted, state kept" : "setup never completed",
        problem: [error.message, error.hint].join(" "),
      };
    }
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    return { ...known, note: "outputs unreadable", problem: [error.message, error.hint].filter(Boolean).join(" ") };
  }
  const accessKeyCreatedAt = outputText(outputs, "accessKeyCreatedAt");
  const keyAgeDays = ageInDays(accessKeyCreatedAt, now);
  const rotationPending = outputText(outputs, "previousAccessKeyId") !== undefined;
  return {
    ...known,
    stagingBucketName: outputText(outputs, "stagingBucketName"),
    censusUserName: outputText(outputs, "censusUserName"),
    accessKeyId: outputText(outputs, "accessKeyId"),
    accessKeyCreatedAt,
    keyAgeDays,
    keyNeedsRotation: keyAgeDays !== undefined && keyAgeDays >= KEY_AGE_LIMIT_DAYS,
    rotationPending,
    note: listing.updateInProgress ? "update in progress" : rotationPending ? `key rotation pending (rotate-key ${flagSpelling("finish")})` : undefined,
  };
}

function answerOf(lookup: PinpointProjectLookup): ProjectAnswer {
  if (lookup.status === "unavailable") {
    return lookup.cause === "end-of-support" ? { pinpoint: "end-of-support" } : { pinpoint: "unknown", pinpointReason: lookup.reason };
  }
  return { pinpoint: lookup.status };
}

/**
 * Pinpoint's answer for every stack named after a project: all at once, one client per region, so
 * many stacks take no longer than one. Only a credential problem fails a region's lookups, and then
 * its stacks are `unknown`: list works without Pinpoint, as it did before it asked.
 */
async function askPinpoint(listings: readonly StackListing[], profile: string | undefined, env: NodeJS.ProcessEnv): Promise<Map<string, ProjectAnswer>> {
  const byRegion = new Map<string, string[]>();
  for (const { ref } of listings) if (ref) byRegion.set(ref.region, [...(byRegion.get(ref.region) ?? []), ref.projectId]);
  const answers = new Map<string, ProjectAnswer>();
  await Promise.all(
    [...byRegion].map(async ([region, projectIds]) => {
      try {
        const lookups = await findPinpointProjects({ region, profile, env }, projectIds);
        for (const [projectId, lookup] of lookups) answers.set(`${region}::${projectId}`, answerOf(lookup));
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        const reason = error.message.replace(/\.+$/, "");
        for (const projectId of projectIds) answers.set(`${region}::${projectId}`, { pinpoint: "unknown", pinpointReason: reason });
      }
    }),
  );
  return answers;
}

const CANDIDATE_NOTES: Partial<Record<PinpointAnswer, string>> = {
  "not-found": "teardown candidate: Pinpoint project not found",
  "end-of-support": "teardown candidate: Pinpoint end of support",
};

function withAnswer(row: OutputsRow, answer: ProjectAnswer): StackRow {
  const candidateNote = CANDIDATE_NOTES[answer.pinpoint];
  return {
    ...row,
    ...answer,
    teardownCandidate: candidateNote !== undefined,
    note: [row.note, candidateNote].filter(Boolean).join("; ") || undefined,
  };
}

/** Why a candidate's project no longer answers, and the command that removes its stack. */
function candidateWarning(row: StackRow, flags: CommandOptions<"list">): string {
  const project = `project ${row.projectId} in ${row.region}`;
  const why = row.pinpoint === "not-found" ? `Amazon Pinpoint has no ${project} any more` : `Amazon Pinpoint refused ${project} (${END_OF_SUPPORT})`;
  return `Stack ${row.stackName}: ${why}, so Census cannot import through this setup. If nothing else uses it, remove it: ${stackCommandLine("teardown", row.stackName, flags)}`;
}

function formatTime(iso: string | undefined): string {
  if (iso === undefined || Number.isNaN(Date.parse(iso))) return "never";
  return `${new Date(iso).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function cells(row: StackRow): string[] {
  const age = row.keyAgeDays === undefined ? "?" : `${row.keyAgeDays} day${row.keyAgeDays === 1 ? "" : "s"}${row.keyNeedsRotation ? " ⚠" : ""}`;
  return [row.region ?? "?", row.projectId ?? row.stackName, row.stagingBucketName ?? "?", row.censusUserName ?? "?", age, formatTime(row.lastUpdate), row.note ?? ""];
}

export async function listCommand(flags: CommandOptions<"list">, context: CommandContext): Promise<void> {
  const { render } = context;
  const target = pulumiTargetFrom(flags, context);
  render.progress({ kind: "step", message: "Reading the stacks in the backend" });
  const listings = await listStacks(target, { pulumiCommand: context.pulumiCommand, onProgress: render.progress });
  const now = Date.now();
  // Pinpoint is asked while the stacks are read; handled now, so a failure waits for its turn below.
  const asking = askPinpoint(listings, target.profile, target.env);
  asking.catch(() => {});
  // One stack at a time: parallel Pulumi CLI runs from one process are not reliable (pulumi/pulumi#10523).
  const described: OutputsRow[] = [];
  for (const listing of listings) described.push(await describeStack(listing, target, context, now));
  const answers = await asking;
  const rows = described.map((row) => withAnswer(row, (row.region && row.projectId && answers.get(`${row.region}::${row.projectId}`)) || { pinpoint: "unknown" }));
  if (flags.json === true) render.json({ stacks: rows });
  if (rows.length === 0) {
    render.stop();
    render.info("No census-pinpoint stacks in this backend yet. Create one with `census-pinpoint setup`.");
    return;
  }
  if (flags.json !== true) {
    render.table(
      ["Region", "Project ID", "Bucket", "Census user", "Key age", "Last update", "Note"],
      rows.map((row) => ({ cells: cells(row), warn: row.keyNeedsRotation || row.teardownCandidate })),
    );
  }
  for (const row of rows) {
    if (row.problem) render.warning(row.problem);
    if (row.keyNeedsRotation) {
      render.warning(
        `The access key of stack ${row.stackName} is ${row.keyAgeDays} days old; Security Hub control IAM.3 expects keys rotated within ${KEY_AGE_LIMIT_DAYS} days. ` +
          `Rotate it without downtime: ${stackCommandLine("rotate-key", row.stackName, flags)}`,
      );
    }
    if (row.teardownCandidate) render.warning(candidateWarning(row, flags));
  }
  const unanswered = rows.filter((row) => row.pinpointReason !== undefined);
  if (unanswered.length > 0) {
    render.warning(
      `Amazon Pinpoint gave no answer about the projects of ${unanswered.length} of ${rows.length} stacks, so they are not marked as teardown candidates: ${unanswered[0]!.pinpointReason}.`,
    );
  }
}
