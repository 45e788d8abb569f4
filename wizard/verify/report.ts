/**
 * What `verify` finds: one entry per check, in the order a user reads them, with the fix for every
 * failure. The same objects feed render.checklist and `--json`, so their ids are a contract.
 */
import type { ChecklistItem } from "../render.js";

export type VerifyCheckId =
  | "key-identity"
  | "key-active"
  | "bucket-region"
  | "bucket-put"
  | "bucket-get"
  | "bucket-list"
  | "bucket-delete"
  | "pinpoint-project"
  | "policy-import-job"
  | "policy-pass-role"
  | "policy-put-object"
  | "policy-least-privilege"
  | "role-trust"
  | "role-conditions";

export interface VerifyCheck extends ChecklistItem {
  id: VerifyCheckId;
}

export interface VerifyReport {
  /** True when no check failed (skipped checks do not count against it). */
  ok: boolean;
  checks: VerifyCheck[];
}

/** The three ways a check can end, for one check. */
export function checkOf(id: VerifyCheckId, label: string) {
  return {
    passed: (detail?: string): VerifyCheck => ({ id, status: "passed", label, ...(detail ? { detail } : {}) }),
    failed: (detail: string, fix: string): VerifyCheck => ({ id, status: "failed", label, detail, fix }),
    skipped: (detail: string): VerifyCheck => ({ id, status: "skipped", label, detail }),
  };
}

export function reportOf(checks: VerifyCheck[]): VerifyReport {
  return { ok: checks.every((check) => check.status !== "failed"), checks };
}
