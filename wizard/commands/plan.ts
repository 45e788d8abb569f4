/** `plan`: what setup would create, offline, from the same builders the Pulumi component uses. */
import { planStaging } from "../../infra/plan.js";
import type { PinpointRegion } from "../../infra/regions.js";
import { validateAccountId } from "../../infra/validation.js";
import { configuredRegion } from "../aws/configuredRegion.js";
import { getCallerIdentity } from "../aws/identity.js";
import { listPinpointProjects } from "../aws/pinpoint.js";
import type { CommandContext, ParsedFlags } from "../cli.js";
import { CliError, UsageError } from "../errors.js";
import { resolveSetupInputs } from "../setup/resolveInputs.js";
import { createInquirerPrompter } from "../prompts.js";
import { flagText, setupFlags } from "./flags.js";

export async function planCommand(flags: ParsedFlags, { io, render, interactive }: CommandContext): Promise<void> {
  const profile = flagText(flags, "profile") ?? io.env.AWS_PROFILE;
  const givenAccount = flagText(flags, "accountId");
  let lookup: Promise<string> | undefined;
  const lookUpAccount = async (region: PinpointRegion) => {
    try {
      return (await getCallerIdentity({ region, profile })).accountId;
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      throw new UsageError(
        `The AWS account ID is needed for the bucket name and ARNs, and it could not be read from AWS credentials (${error.message})`,
        "Pass --account-id <12 digits>, or make credentials available (--profile, AWS_PROFILE, aws sso login).",
      );
    }
  };
  const accountId = (region: PinpointRegion) =>
    givenAccount !== undefined ? Promise.resolve(validateAccountIdFlag(givenAccount)) : (lookup ??= lookUpAccount(region));
  const { inputs, warnings } = await resolveSetupInputs({
    flags: setupFlags(flags),
    env: io.env,
    interactive,
    prompter: createInquirerPrompter(),
    listProjects: (region) => listPinpointProjects({ region, profile }),
    defaultRegion: await configuredRegion(profile, io.env),
    accountId,
    onProgress: render.progress,
  });
  const plan = planStaging({
    region: inputs.region,
    pinpointProjectId: inputs.projectId,
    accountId: await accountId(inputs.region),
    bucketName: inputs.bucketName,
    expirationDays: inputs.expirationDays,
    importerRoleName: inputs.importerRoleName,
    censusUserName: inputs.censusUserName,
    kmsKeyArn: inputs.kmsKeyArn,
  });
  for (const warning of warnings) render.warning(warning);
  if (flags.json === true) render.json({ ...plan, warnings });
  else render.plan(plan);
}

function validateAccountIdFlag(value: string): string {
  try {
    return validateAccountId(value);
  } catch (error) {
    throw new UsageError(`--account-id: ${(error as Error).message}`);
  }
}
