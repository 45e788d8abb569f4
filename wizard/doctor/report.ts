/**
 * What `doctor` finds: one entry per check, in the order a user reads them, each with what to do when
 * it is not ok. The same objects feed render.doctor and `--json`, so their ids are a contract.
 */
import { AwsCredentialsError, VerificationError } from "../errors.js";

export type DoctorStatus = "ok" | "warn" | "fail" | "unchecked";

export type DoctorCheckId =
  | "node"
  | "pulumi-cli"
  | "aws-credentials"
  | "region"
  | "permissions-setup"
  | "permissions-rotate-key"
  | "permissions-teardown"
  | "backend"
  | "stack-secrets";

export interface DoctorCheck {
  id: DoctorCheckId;
  status: DoctorStatus;
  /** What was checked, in a few words. */
  what: string;
  /** What was found. */
  detail: string;
  /** What to do; present unless the status is ok. */
  fix?: string;
  /** The stack a stack-secrets check is about. */
  stack?: string;
}

export interface DoctorReport {
  /** No check failed (warnings and checks that could not be made do not count against it). */
  ok: boolean;
  /** The credentials resolved to nobody: exit 3 rather than 5. */
  noCredentials: boolean;
  checks: DoctorCheck[];
}

export function checkOf(id: DoctorCheckId, what: string) {
  return {
    ok: (detail: string): DoctorCheck => ({ id, status: "ok", what, detail }),
    warn: (detail: string, fix: string): DoctorCheck => ({ id, status: "warn", what, detail, fix }),
    fail: (detail: string, fix: string): DoctorCheck => ({ id, status: "fail", what, detail, fix }),
    unchecked: (detail: string, fix: string): DoctorCheck => ({ id, status: "unchecked", what, detail, fix }),
  };
}

export function reportOf(checks: DoctorCheck[], noCredentials: boolean): DoctorReport {
  return { ok: checks.every((check) => check.status !== "fail"), noCredentials, checks };
}

/** The exit decision: 3 without usable credentials, 5 when a check failed, else none (exit 0). */
export function doctorFailure(report: DoctorReport, { json }: { json: boolean }): AwsCredentialsError | VerificationError | undefined {
  const where = json ? "Each failed check's `fix` says" : "Under each ✘ is";
  if (report.noCredentials) {
    // The credentials' own message (as every other command gives it), so the AWS checks' skips are explained.
    const credentials = report.checks.find((check) => check.id === "aws-credentials");
    return new AwsCredentialsError(credentials?.detail ?? "No AWS credentials found.", credentials?.fix);
  }
  const failed = report.checks.filter((check) => check.status === "fail").length;
  if (failed === 0) return undefined;
  return new VerificationError(
    `${failed} of ${report.checks.length} checks ${failed === 1 ? "needs" : "need"} fixing.`,
    `${where} what to do; then run \`census-pinpoint doctor\` again.`,
  );
}
