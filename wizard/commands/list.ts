/**
 * `list`: every census-pinpoint stack in the backend, with the age of its access key. A stack whose
 * outputs cannot be read still appears, with what its name tells and why the rest is missing.
 */
import type { OutputMap } from "@pulumi/pulumi/automation/index.js";
import { ageInDays, KEY_AGE_LIMIT_DAYS } from "../aws/keyAge.js";
import { pulumiTargetFrom } from "./flags.js";
import type { CommandContext, ParsedFlags } from "../cli.js";
import { CliError } from "../errors.js";
import { listStacks, type StackListing } from "../pulumi/stacks.js";
import { emptyStackError, emptyStackReason, openStack, readStackOutputs, type OpenStack, type PulumiTarget } from "../pulumi/workspace.js";
import { stackCommandLine } from "./commandLine.js";

interface StackRow {
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
}

function text(outputs: OutputMap, name: string): string | undefined {
  const value = outputs[name]?.value;
  return typeof value === "string" && value !== "" ? value : undefined;
}

async function describeStack(listing: StackListing, target: PulumiTarget, context: CommandContext, now: number): Promise<StackRow> {
  const known: StackRow = {
    stackName: listing.name,
    region: listing.ref?.region,
    projectId: listing.ref?.projectId,
    keyNeedsRotation: false,
    rotationPending: false,
    lastUpdate: listing.lastUpdate,
    updateInProgress: listing.updateInProgress,
  };
  if (!listing.ref) return { ...known, note: "not named <region>-<projectId>: not made by census-pinpoint" };
  let outputs: OutputMap;
  let opened: OpenStack;
  try {
    opened = await openStack(target, listing.ref, { create: false, onProgress: context.render.progress, pulumiCommand: context.pulumiCommand });
    outputs = await readStackOutputs(opened, { showSecrets: false });
    if (text(outputs, "accessKeyId") === undefined) {
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
  const accessKeyCreatedAt = text(outputs, "accessKeyCreatedAt");
  const keyAgeDays = ageInDays(accessKeyCreatedAt, now);
  const rotationPending = text(outputs, "previousAccessKeyId") !== undefined;
  return {
    ...known,
    stagingBucketName: text(outputs, "stagingBucketName"),
    censusUserName: text(outputs, "censusUserName"),
    accessKeyId: text(outputs, "accessKeyId"),
    accessKeyCreatedAt,
    keyAgeDays,
    keyNeedsRotation: keyAgeDays !== undefined && keyAgeDays >= KEY_AGE_LIMIT_DAYS,
    rotationPending,
    note: listing.updateInProgress ? "update in progress" : rotationPending ? "key rotation pending (rotate-key --finish)" : undefined,
  };
}

function formatTime(iso: string | undefined): string {
  if (iso === undefined || Number.isNaN(Date.parse(iso))) return "never";
  return `${new Date(iso).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function cells(row: StackRow): string[] {
  const age = row.keyAgeDays === undefined ? "?" : `${row.keyAgeDays} day${row.keyAgeDays === 1 ? "" : "s"}${row.keyNeedsRotation ? " ⚠" : ""}`;
  return [row.region ?? "?", row.projectId ?? row.stackName, row.stagingBucketName ?? "?", row.censusUserName ?? "?", age, formatTime(row.lastUpdate), row.note ?? ""];
}

export async function listCommand(flags: ParsedFlags, context: CommandContext): Promise<void> {
  const { render } = context;
  const target = pulumiTargetFrom(flags, context);
  render.progress({ kind: "step", message: "Reading the stacks in the backend" });
  const listings = await listStacks(target, { pulumiCommand: context.pulumiCommand, onProgress: render.progress });
  const now = Date.now();
  // One stack at a time: parallel Pulumi CLI runs from one process are not reliable (pulumi/pulumi#10523).
  const rows: StackRow[] = [];
  for (const listing of listings) rows.push(await describeStack(listing, target, context, now));
  if (flags.json === true) render.json({ stacks: rows });
  if (rows.length === 0) {
    render.stop();
    render.info("No census-pinpoint stacks in this backend yet. Create one with `census-pinpoint setup`.");
    return;
  }
  if (flags.json !== true) {
    render.table(
      ["Region", "Project ID", "Bucket", "Census user", "Key age", "Last update", "Note"],
      rows.map((row) => ({ cells: cells(row), warn: row.keyNeedsRotation })),
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
  }
}
