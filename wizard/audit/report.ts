/**
 * What `audit` finds: the document `audit --json` prints and what render.ts shows. A finding carries
 * its evidence, the exact fix, and how it was reached (IAM's policy simulator where AWS has it, else a
 * reading of the policy documents), so a reader can weigh it.
 */
import type { PinpointRegion } from "../../infra/regions.js";
import type { ProgressReporter } from "../progress.js";
import type { AwsTarget } from "../aws/target.js";

/** Ordered worst first; the report lists findings in this order. */
export const SEVERITIES = ["critical", "high", "medium", "low"] as const;
export type Severity = (typeof SEVERITIES)[number];

export type AuditArea = "importer-role" | "census-identity" | "bucket" | "pinpoint-project";

/** Each area in words, in the order the report lists the areas. */
export const AREA_NAMES: Record<AuditArea, string> = {
  "importer-role": "the importer role",
  "census-identity": "Census's identity",
  bucket: "the staging bucket",
  "pinpoint-project": "the Pinpoint project",
};

/** How a finding was reached. */
export type AuditMethod =
  /** IAM's policy simulator (SimulatePrincipalPolicy) answered. */
  | "simulated"
  /** The policy documents were read and evaluated here (the simulator is missing, e.g. in an emulator, or was refused). */
  | "policy-read"
  /** A direct API answer (the bucket's settings, a key's age, the project's lookup). */
  | "api";

export interface AuditFinding {
  /** Stable identifier, kebab-case (e.g. "role-trust-unconditioned"): scripts match on it. */
  id: string;
  area: AuditArea;
  severity: Severity;
  /** The AWS Security Hub control it fails, when there is one (e.g. "IAM.2", "S3.5"). */
  control?: string;
  /** What is wrong, in one or two sentences naming the AWS resources by their names. */
  problem: string;
  /** What was read that shows it: policy names and ARNs, the statement or setting, the simulator's answer. */
  evidence: string[];
  /** The exact fix: an AWS CLI command, or policy JSON with where it goes. */
  fix: string;
  method: AuditMethod;
}

/** What to audit: a stack's resources, or a setup made by hand named by flags. */
export interface AuditSubject {
  region: PinpointRegion;
  projectId: string;
  bucketName: string;
  importerRoleArn: string;
  /**
   * Who holds Census's key: the AWS profile holding the key (--key-profile), an IAM user by name
   * (--census-user; then the key is each of its access keys), or a stack's user and key.
   */
  census: { kind: "key-profile"; profile: string } | { kind: "user"; userName: string } | { kind: "stack"; userName: string; accessKeyId: string };
  /** The credentials the audit reads IAM, S3 and Pinpoint with (--profile or the default chain), in the project's region. */
  admin: AwsTarget;
  /** Set when the subject came from a stack. */
  stackName?: string;
}

/** One area's outcome: its findings, what was looked at, or why it could not be looked at. */
export interface AreaResult {
  area: AuditArea;
  findings: AuditFinding[];
  /** What was checked and found in order, in words (shown as passed lines). */
  passed: string[];
  /** Set when the area could not be audited at all (e.g. the role does not exist, access denied). */
  skipped?: string;
}

export interface AuditOptions {
  onProgress: ProgressReporter;
  /** Milliseconds since the epoch: key ages are computed against it. */
  now: number;
}

export interface AuditReport {
  /** True when there is no finding and no area was skipped. */
  ok: boolean;
  /** One line: "clean" or the count by severity with the worst first. */
  verdict: string;
  subject: { region: string; projectId: string; bucketName: string; importerRoleArn: string; census: string; stackName?: string };
  areas: AreaResult[];
  /** Every finding of every area, worst first. */
  findings: AuditFinding[];
}
