/**
 * `audit`: a read-only review of any setup's posture, each finding with its evidence and exact fix.
 * The setup is a stack (its outputs name the pieces), or one made by hand named by flags; that mode
 * needs no Pulumi CLI at all. Exit 0 when clean, 5 (VerificationError) with findings or with a part
 * that could not be read.
 */
import { checkProjectId, validateBucketName, validateIamName, validateRegion } from "../../infra/validation.js";
import type { AuditReport, AuditSubject } from "../audit/report.js";
import { runAudit } from "../audit/runAudit.js";
import type { CommandContext, ParsedFlags } from "../cli.js";
import { UsageError, VerificationError } from "../errors.js";
import { readStackValues } from "../pulumi/workspace.js";
import { parseRoleArn } from "../verify/input.js";
import { flagText, parsedFlag } from "./flags.js";
import { selectStack } from "./stackSelection.js";

/** Any of these means the setup is named by its values rather than by a stack. */
const HAND_MADE_FLAGS = [
  ["bucket", "--bucket"],
  ["roleArn", "--role-arn"],
  ["keyProfile", "--key-profile"],
  ["censusUser", "--census-user"],
] as const;

const REQUIRED_FLAGS = [
  ["region", "--region"],
  ["projectId", "--project-id"],
  ["bucket", "--bucket"],
  ["roleArn", "--role-arn"],
] as const;

const EXAMPLE =
  "Example: census-pinpoint audit --region eu-west-1 --project-id <id> --bucket <bucket> --role-arn <arn> --key-profile <profile> (or --census-user <IAM user name>). Without --bucket, --role-arn, --key-profile and --census-user, audit reviews a stack.";

function handMadeSubject(flags: ParsedFlags, context: CommandContext): AuditSubject {
  const given = (key: string) => flagText(flags, key) !== undefined;
  if (given("stack")) {
    const named = HAND_MADE_FLAGS.filter(([key]) => given(key)).map(([, flag]) => flag);
    throw new UsageError(`--stack cannot be combined with ${named.join(", ")}.`, "Audit either a stack (--stack) or a setup by its values.");
  }
  const keyProfile = flagText(flags, "keyProfile");
  const censusUser = flagText(flags, "censusUser");
  if (keyProfile !== undefined && censusUser !== undefined) {
    throw new UsageError("--key-profile and --census-user both name who holds Census's key: pass one of them.", EXAMPLE);
  }
  const missing = [
    ...REQUIRED_FLAGS.filter(([key]) => !given(key)).map(([, flag]) => flag),
    ...(keyProfile === undefined && censusUser === undefined ? ["--key-profile or --census-user"] : []),
  ];
  if (missing.length > 0) {
    throw new UsageError(
      `To audit a setup by its values, audit needs --region, --project-id, --bucket, --role-arn, and --key-profile or --census-user; missing: ${missing.join(", ")}.`,
      EXAMPLE,
    );
  }
  const region = parsedFlag("--region", flagText(flags, "region")!, validateRegion);
  const projectId = flagText(flags, "projectId")!.trim();
  const { warning } = parsedFlag("--project-id", projectId, checkProjectId);
  if (warning) context.render.warning(warning);
  const roleArn = flagText(flags, "roleArn")!;
  if (!parseRoleArn(roleArn)) {
    throw new UsageError(`--role-arn: "${roleArn}" is not an IAM role ARN.`, "Copy it from IAM → Roles → the importer role → ARN, e.g. arn:aws:iam::123456789012:role/CensusPinpointSegmentImporter.");
  }
  const profile = flagText(flags, "profile") ?? context.io.env.AWS_PROFILE;
  return {
    region,
    projectId,
    bucketName: parsedFlag("--bucket", flagText(flags, "bucket")!, validateBucketName),
    importerRoleArn: roleArn,
    census:
      keyProfile !== undefined
        ? { kind: "key-profile", profile: keyProfile }
        : { kind: "user", userName: parsedFlag("--census-user", censusUser!, (name) => validateIamName("censusUserName", name)) },
    admin: { region, ...(profile ? { profile } : {}) },
  };
}

/** The subject of a stack's audit, from its outputs (the secret key is neither read nor needed). */
export async function auditSubjectFromStack(flags: ParsedFlags, context: CommandContext): Promise<AuditSubject> {
  const { target, ref, name } = await selectStack(flags, context);
  context.render.progress({ kind: "step", message: `Reading the outputs of stack ${name}` });
  const values = await readStackValues({ ...target, ...ref }, { showSecrets: false, pulumiCommand: context.pulumiCommand, onProgress: context.render.progress });
  const region = validateRegion(values.awsRegion);
  return {
    region,
    projectId: values.pinpointProjectId,
    bucketName: values.stagingBucketName,
    importerRoleArn: values.importerRoleArn,
    census: { kind: "stack", userName: values.censusUserName, accessKeyId: values.accessKeyId },
    admin: { region, ...(target.profile ? { profile: target.profile } : {}) },
    stackName: name,
  };
}

/** The report on stdout: the one JSON document, or rendered for a reader. */
export function showAudit(report: AuditReport, context: CommandContext, json: boolean): void {
  if (json) context.render.json(report);
  else context.render.audit(report);
}

function auditFailure(report: AuditReport, json: boolean): VerificationError {
  const skipped = report.areas.some((area) => area.skipped !== undefined);
  const where = json
    ? [report.findings.length > 0 ? "each finding's `fix` says what to do" : "", skipped ? "each area's `skipped` says what could not be read" : ""]
    : [report.findings.length > 0 ? "under each ✘ is its fix" : "", skipped ? "each – says what could not be read" : ""];
  const hint = where.filter(Boolean).join("; ");
  return new VerificationError(`${report.verdict}.`, `${hint.charAt(0).toUpperCase()}${hint.slice(1)}; then run census-pinpoint audit again.`);
}

export async function auditCommand(flags: ParsedFlags, context: CommandContext): Promise<void> {
  const handMade = HAND_MADE_FLAGS.some(([key]) => flagText(flags, key) !== undefined);
  const subject = handMade ? handMadeSubject(flags, context) : await auditSubjectFromStack(flags, context);
  const report = await runAudit(subject, { env: context.io.env, onProgress: context.render.progress, now: Date.now() });
  const json = flags.json === true;
  showAudit(report, context, json);
  if (!report.ok) throw auditFailure(report, json);
}
