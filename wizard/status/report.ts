/**
 * What `status` finds, per stack: the document `status --json` prints (its shape is documented in the
 * README, so a field is renamed only with the README) and what render.ts shows.
 */
import type { PinpointProjectLookup } from "../aws/pinpoint.js";
import type { ExtraAccess } from "../aws/userAccess.js";
import type { Drift } from "../pulumi/drift.js";
import type { RotationState } from "../pulumi/keyRotation.js";
import type { LastUpdate } from "../pulumi/lastUpdate.js";

export interface KeyStatus {
  accessKeyId: string;
  /** What the stack holds it as: Census's key, the previous key during a rotation, or nothing (made outside the stack). */
  heldAs: "current" | "previous" | "not-in-stack";
  active: boolean;
  /** ISO time, as IAM records it. */
  createdAt: string | null;
  ageDays: number | null;
  /** IAM's last-used data; null when the key was never used. */
  lastUsed: { at: string; service?: string; region?: string } | null;
}

export type FindingKind =
  /** A resource the state holds is gone from AWS. */
  | "gone"
  /** A resource the state holds was changed in AWS. */
  | "changed"
  /** The Census user (or its group) has a policy or a group the stack did not give it. */
  | "extra-access"
  /** The Census user has an access key the stack did not make. */
  | "extra-key"
  /** Census's key is older than Security Hub's 90 days. */
  | "key-age"
  /** A key rotation is pending, or a rotate-key run stopped half-way. */
  | "rotation"
  /** The Pinpoint project does not exist, or Pinpoint did not answer. */
  | "pinpoint"
  /** The stack's first update never completed. */
  | "incomplete"
  /** The stack could not be read (with --all; for one stack the command fails instead). */
  | "unreadable";

export interface Finding {
  kind: FindingKind;
  /** What differs or is wrong, in plain words, naming the resource by its AWS name. */
  problem: string;
  /** What to do about it. */
  todo: string;
  /** gone, changed: the resource and what differs. */
  drift?: Drift;
  /** extra-access: what was found. */
  access?: ExtraAccess;
  /** extra-key, key-age: the key. */
  accessKeyId?: string;
}

export type StackState =
  /** Its resources were read from AWS and compared with the state. */
  | "checked"
  /** `teardown --keep-state` deleted its resources; only the state and history are left. */
  | "resources-deleted"
  /** Its first update never completed: nothing to compare. */
  | "never-completed"
  /** Reading it failed (the finding says why). */
  | "unreadable";

export interface StackStatus {
  stackName: string;
  region: string;
  projectId: string;
  state: StackState;
  /** True when nothing needs attention. */
  ok: boolean;
  /** For a stack that was not compared: what it is, in words. */
  note?: string;
  lastUpdate: LastUpdate | null;
  stagingBucketName: string | null;
  censusUserName: string | null;
  /** Every access key IAM has for the Census user. */
  keys: KeyStatus[];
  rotation: RotationState | null;
  pinpoint: PinpointProjectLookup | null;
  findings: Finding[];
}

export interface StatusReport {
  /** True when no stack has a finding: the exit code is 0 then, 5 otherwise. */
  ok: boolean;
  stacks: StackStatus[];
}
