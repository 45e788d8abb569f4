/** `plan`: what setup would create, offline, from the same builders the Pulumi component uses. */
import { planStaging } from "../../infra/plan.js";
import type { PinpointRegion } from "../../infra/regions.js";
import { validateAccountId } from "../../infra/validation.js";
import { configuredRegion } from "../aws/configuredRegion.js";
import { getCallerIdentity } from "../aws/identity.js";
import { listPinpointProjects } from "../aws/pinpoint.js";
import type { CommandOptions } from "./commandFlags.js";
import type { CommandContext } from "./context.js";
import { flagSpelling } from "./flagRegistry.js";
import { CliError, UsageError } from "../errors.js";
import { resolveSetupInputs } from "../setup/resolveInputs.js";
import { parsedFlag, setupFlags } from "./flags.js";

export async function planCommand(flags: CommandOptions<"plan">, { io, render }: CommandContext): Promise<void> {
  const profile = flags.profile ?? io.env.AWS_PROFILE;
  const givenAccount = flags.accountId;
  let lookup: Promise<string> | undefined;
  const lookUpAccount = async (region: PinpointRegion) => {
    try {
      return (await getCallerIdentity({ region, profile, env: io.env })).accountId;
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      throw new UsageError(
        `The AWS account ID is needed for the bucket name and ARNs, and it could not be read from AWS credentials (${error.message})`,
        `Pass ${flagSpelling("accountId")} <12 digits>, or make credentials available (${flagSpelling("profile")}, AWS_PROFILE, aws sso login).`,
      );
    }
  };
  const accountId = (region: PinpointRegion) =>
    givenAccount !== undefined ? Promise.resolve(parsedFlag("accountId", givenAccount, validateAccountId)) : (lookup ??= lookUpAccount(region));
  const { inputs, warnings } = await resolveSetupInputs({
    flags: setupFlags(flags),
    env: io.env,
    interactive: io.interactive,
    prompter: io.prompter(),
    listProjects: (region) => listPinpointProjects({ region, profile, env: io.env }),
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
