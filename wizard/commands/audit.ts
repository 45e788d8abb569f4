/**
 * `audit`: a read-only review of any setup's posture, each finding with its evidence and exact fix.
 * The setup is a stack (its outputs name the pieces), or one made by hand named by flags; that mode
 * needs no Pulumi CLI at all. Exit 0 when clean, 5 (VerificationError) with findings or with a part
 * that could not be read.
 */
import { checkProjectId, validateBucketName, validateIamName, validateRegion } from "../../infra/validation.js";
import type { AuditReport, AuditSubject } from "../audit/report.js";
import { runAudit } from "../audit/runAudit.js";
import type { CommandOptions, StackOptions } from "./commandFlags.js";
import type { CommandContext } from "./context.js";
import { flagSpelling, withFlags, type FlagKey } from "./flagRegistry.js";
import { UsageError, VerificationError } from "../errors.js";
import { readStackValues } from "../pulumi/stackValues.js";
import { parseRoleArn } from "../verify/input.js";
import { parsedFlag } from "./flags.js";
import { selectStack } from "./stackSelection.js";

/** Any of these means the setup is named by its values rather than by a stack. */
const HAND_MADE_FLAGS = ["bucket", "roleArn", "keyProfile", "censusUser"] as const satisfies readonly FlagKey[];

const REQUIRED_FLAGS = ["region", "projectId", "bucket", "roleArn"] as const satisfies readonly FlagKey[];

type Options = CommandOptions<"audit">;

const EXAMPLE = withFlags`Example: census-pinpoint audit ${"region"} eu-west-1 ${"projectId"} <id> ${"bucket"} <bucket> ${"roleArn"} <arn> ${"keyProfile"} <profile> (or ${"censusUser"} <IAM user name>). Without ${"bucket"}, ${"roleArn"}, ${"keyProfile"} and ${"censusUser"}, audit reviews a stack.`;

function handMadeSubject(flags: Options, context: CommandContext): AuditSubject {
  const given = (key: keyof Options) => flags[key] !== undefined;
  if (given("stack")) {
    const named = HAND_MADE_FLAGS.filter(given).map(flagSpelling);
    throw new UsageError(`${flagSpelling("stack")} cannot be combined with ${named.join(", ")}.`, withFlags`Audit either a stack (${"stack"}) or a setup by its values.`);
  }
  const { keyProfile, censusUser } = flags;
  if (keyProfile !== undefined && censusUser !== undefined) {
    throw new UsageError(withFlags`${"keyProfile"} and ${"censusUser"} both name who holds Census's key: pass one of them.`, EXAMPLE);
  }
  const missing = [
    ...REQUIRED_FLAGS.filter((key) => !given(key)).map(flagSpelling),
    ...(keyProfile === undefined && censusUser === undefined ? [withFlags`${"keyProfile"} or ${"censusUser"}`] : []),
  ];
  if (missing.length > 0) {
    throw new UsageError(
      `${withFlags`To audit a setup by its values, audit needs ${"region"}, ${"projectId"}, ${"bucket"}, ${"roleArn"}, and ${"keyProfile"} or ${"censusUser"}`}; missing: ${missing.join(", ")}.`,
      EXAMPLE,
    );
  }
  const region = parsedFlag("region", flags.region!, validateRegion);
  const projectId = flags.projectId!.trim();
  const { warning } = parsedFlag("projectId", projectId, checkProjectId);
  if (warning) context.render.warning(warning);
  const roleArn = flags.roleArn!;
  if (!parseRoleArn(roleArn)) {
    throw new UsageError(`${flagSpelling("roleArn")}: "${roleArn}" is not an IAM role ARN.`, "Copy it from IAM → Roles → the importer role → ARN, e.g. arn:aws:iam::123456789012:role/CensusPinpointSegmentImporter.");
  }
  const profile = flags.profile ?? context.io.env.AWS_PROFILE;
  return {
    region,
    projectId,
    bucketName: parsedFlag("bucket", flags.bucket!, validateBucketName),
    importerRoleArn: roleArn,
    census:
      keyProfile !== undefined
        ? { kind: "key-profile", profile: keyProfile }
        : { kind: "user", userName: parsedFlag("censusUser", censusUser!, (name) => validateIamName("censusUserName", name)) },
    admin: { region, ...(profile ? { profile } : {}), env: context.io.env },
  };
}

/** The subject of a stack's audit, from its outputs (the secret key is neither read nor needed). */
export async function auditSubjectFromStack(flags: StackOptions, context: CommandContext): Promise<AuditSubject> {
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
    admin: { region, ...(target.profile ? { profile: target.profile } : {}), env: context.io.env },
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

export async function auditCommand(flags: Options, context: CommandContext): Promise<void> {
  const handMade = HAND_MADE_FLAGS.some((key) => flags[key] !== undefined);
  const subject = handMade ? handMadeSubject(flags, context) : await auditSubjectFromStack(flags, context);
  const report = await runAudit(subject, { onProgress: context.render.progress, now: Date.now() });
  const json = flags.json === true;
  showAudit(report, context, json);
  if (!report.ok) throw auditFailure(report, json);
}
