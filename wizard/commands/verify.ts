/**
 * `verify`: Census's connection test, run here with the Census key, each failure with its fix. The
 * values come from a stack, or (for a setup done by hand) from flags with the key in an AWS profile;
 * that mode needs no Pulumi CLI at all.
 */
import { checkProjectId, validateBucketName, validateRegion } from "../../infra/validation.js";
import type { CommandOptions } from "./commandFlags.js";
import type { CommandContext } from "./context.js";
import { flagSpelling, withFlags, type FlagKey } from "./flagRegistry.js";
import { UsageError, VerificationError } from "../errors.js";
import { readStackValues } from "../pulumi/stackValues.js";
import { parseRoleArn } from "../verify/input.js";
import { verifyInputFromValues, verifyStaging, type VerifyInput } from "../verify/verifyStaging.js";
import { parsedFlag } from "./flags.js";
import { selectStack } from "./stackSelection.js";

type Options = CommandOptions<"verify">;

/** Any of these means the setup is named by its values rather than by a stack. */
const VALUE_FLAGS = ["bucket", "roleArn", "keyProfile"] as const satisfies readonly FlagKey[];

/** The flags of the mode that checks a setup done by hand. */
const MANUAL_FLAGS = [...VALUE_FLAGS, "projectId", "region"] as const satisfies readonly FlagKey[];

function manualInput(flags: Options, context: CommandContext): VerifyInput {
  const missing = MANUAL_FLAGS.filter((key) => flags[key] === undefined).map(flagSpelling);
  if (missing.length > 0) {
    throw new UsageError(
      `${withFlags`To check a setup by its values, verify needs ${"bucket"}, ${"roleArn"}, ${"keyProfile"}, ${"projectId"} and ${"region"}`}; missing: ${missing.join(", ")}.`,
      withFlags`Example: census-pinpoint verify ${"region"} eu-west-1 ${"projectId"} <id> ${"bucket"} <bucket> ${"roleArn"} <arn> ${"keyProfile"} <profile>. Without ${"bucket"}, ${"roleArn"} and ${"keyProfile"}, verify checks a stack.`,
    );
  }
  if (flags.stack !== undefined) {
    throw new UsageError(withFlags`${"stack"} cannot be combined with ${"bucket"}, ${"roleArn"} and ${"keyProfile"}.`, withFlags`Check either a stack (${"stack"}) or a setup by its values.`);
  }
  const projectId = parsedFlag("projectId", flags.projectId!, (value) => {
    const { warning } = checkProjectId(value.trim());
    if (warning) context.render.warning(warning);
    return value.trim();
  });
  const roleArn = flags.roleArn!;
  if (!parseRoleArn(roleArn)) {
    throw new UsageError(`${flagSpelling("roleArn")}: "${roleArn}" is not an IAM role ARN.`, "Copy it from IAM → Roles → the importer role → ARN, e.g. arn:aws:iam::123456789012:role/CensusPinpointSegmentImporter.");
  }
  return {
    region: parsedFlag("region", flags.region!, validateRegion),
    projectId,
    bucketName: parsedFlag("bucket", flags.bucket!, validateBucketName),
    importerRoleArn: roleArn,
    key: { profile: flags.keyProfile! },
    admin: { profile: flags.profile ?? context.io.env.AWS_PROFILE },
  };
}

async function stackInput(flags: Options, context: CommandContext): Promise<{ input: VerifyInput; stack: string }> {
  const { target, ref, name } = await selectStack(flags, context);
  context.render.progress({ kind: "step", message: `Reading the outputs of stack ${name}` });
  const values = await readStackValues({ ...target, ...ref }, { showSecrets: true, pulumiCommand: context.pulumiCommand, onProgress: context.render.progress });
  return { input: verifyInputFromValues(values, { profile: target.profile }), stack: name };
}

export async function verifyCommand(flags: Options, context: CommandContext): Promise<void> {
  const { io, render } = context;
  const manual = VALUE_FLAGS.some((key) => flags[key] !== undefined);
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
