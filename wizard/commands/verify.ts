/**
 * `verify`: Census's connection test, run here with the Census key, each failure with its fix. The
 * values come from a stack, or (for a setup done by hand) from flags with the key in an AWS profile;
 * that mode needs no Pulumi CLI at all.
 */
import { checkProjectId, validateBucketName, validateRegion } from "../../infra/validation.js";
import type { CommandContext, ParsedFlags } from "../cli.js";
import { UsageError, VerificationError } from "../errors.js";
import { readStackValues } from "../pulumi/workspace.js";
import { parseRoleArn } from "../verify/input.js";
import { verifyInputFromValues, verifyStaging, type VerifyInput } from "../verify/verifyStaging.js";
import { flagText, parsedFlag } from "./flags.js";
import { selectStack } from "./stackSelection.js";

/** The flags of the mode that checks a setup done by hand. */
const MANUAL_FLAGS = [
  ["bucket", "--bucket"],
  ["roleArn", "--role-arn"],
  ["keyProfile", "--key-profile"],
  ["projectId", "--project-id"],
  ["region", "--region"],
] as const;

function manualInput(flags: ParsedFlags, context: CommandContext): VerifyInput {
  const missing = MANUAL_FLAGS.filter(([key]) => flagText(flags, key) === undefined).map(([, flag]) => flag);
  if (missing.length > 0) {
    throw new UsageError(
      `To check a setup by its values, verify needs --bucket, --role-arn, --key-profile, --project-id and --region; missing: ${missing.join(", ")}.`,
      "Example: census-pinpoint verify --region eu-west-1 --project-id <id> --bucket <bucket> --role-arn <arn> --key-profile <profile>. Without --bucket, --role-arn and --key-profile, verify checks a stack.",
    );
  }
  if (flagText(flags, "stack") !== undefined) {
    throw new UsageError("--stack cannot be combined with --bucket, --role-arn and --key-profile.", "Check either a stack (--stack) or a setup by its values.");
  }
  const projectId = parsedFlag("--project-id", flagText(flags, "projectId")!, (value) => {
    const { warning } = checkProjectId(value.trim());
    if (warning) context.render.warning(warning);
    return value.trim();
  });
  const roleArn = flagText(flags, "roleArn")!;
  if (!parseRoleArn(roleArn)) {
    throw new UsageError(`--role-arn: "${roleArn}" is not an IAM role ARN.`, "Copy it from IAM → Roles → the importer role → ARN, e.g. arn:aws:iam::123456789012:role/CensusPinpointSegmentImporter.");
  }
  return {
    region: parsedFlag("--region", flagText(flags, "region")!, validateRegion),
    projectId,
    bucketName: parsedFlag("--bucket", flagText(flags, "bucket")!, validateBucketName),
    importerRoleArn: roleArn,
    key: { profile: flagText(flags, "keyProfile")! },
    admin: { profile: flagText(flags, "profile") ?? context.io.env.AWS_PROFILE },
  };
}

async function stackInput(flags: ParsedFlags, context: CommandContext): Promise<{ input: VerifyInput; stack: string }> {
  const { target, ref, name } = await selectStack(flags, context);
  context.render.progress({ kind: "step", message: `Reading the outputs of stack ${name}` });
  const values = await readStackValues({ ...target, ...ref }, { showSecrets: true, pulumiCommand: context.pulumiCommand, onProgress: context.render.progress });
  return { input: verifyInputFromValues(values, { profile: target.profile }), stack: name };
}

export async function verifyCommand(flags: ParsedFlags, context: CommandContext): Promise<void> {
  const { io, render } = context;
  const manual = ["bucket", "roleArn", "keyProfile"].some((key) => flagText(flags, key) !== undefined);
  const { input, stack } = manual ? { input: manualInput(flags, context), stack: undefined } : await stackInput(flags, context);

  const report = await verifyStaging(input, { onProgress: render.progress, env: io.env });
  const json = flags.json === true;
  if (json) {
    render.json({
      ok: report.ok,
      ...(stack ? { stack } : {}),
      region: input.region,
      projectId: input.projectId,
      bucketName: input.bucketName,
      importerRoleArn: input.importerRoleArn,
      checks: report.checks,
    });
  } else {
    render.checklist(`Census connection test for Pinpoint project ${input.projectId} in ${input.region}`, report.checks);
  }
  const failed = report.checks.filter((check) => check.status === "failed").length;
  if (failed > 0) {
    throw new VerificationError(
      `${failed} of ${report.checks.length} checks failed.`,
      `${json ? "Each failed check's `fix` says" : "Under each ✘ is"} what to do; then run \`census-pinpoint verify\` again.`,
    );
  }
}
