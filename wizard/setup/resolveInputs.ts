/**
 * Resolves what `setup` needs from flags, then the environment, then questions. Every value, flags
 * included, goes through the infra validators, so the wizard refuses exactly what the Pulumi program
 * would refuse, and refuses it before anything is created.
 */
import { defaultBucketName, defaultCensusUserName, defaultImporterRoleName } from "../../infra/names.js";
import { PINPOINT_REGION_NAMES, type PinpointRegion } from "../../infra/regions.js";
import {
  checkProjectId,
  DEFAULT_EXPIRATION_DAYS,
  InvalidInputError,
  validateBucketName,
  validateExpirationDays,
  validateIamName,
  validateRegion,
  validateStagingInputs,
  type InputField,
  type StagingInputs,
} from "../../infra/validation.js";
import { flagSpelling, type FlagKey } from "../commands/flagRegistry.js";
import { UsageError } from "../errors.js";
import { silentProgress, type ProgressReporter } from "../progress.js";
import type { PinpointProjectSummary, Prompter } from "../prompts.js";
import type { SetupInputs } from "./inputs.js";

/** Command-line values as parsed (numbers arrive as text). */
export interface SetupFlags {
  region?: string;
  projectId?: string;
  bucketName?: string;
  expirationDays?: string | number;
  importerRoleName?: string;
  censusUserName?: string;
  kmsKeyArn?: string;
}

/** The flag that sets each input, so an error says what to change. */
const INPUT_FLAGS: Partial<Record<InputField, FlagKey>> = {
  region: "region",
  pinpointProjectId: "projectId",
  bucketName: "bucketName",
  expirationDays: "expirationDays",
  importerRoleName: "importerRoleName",
  censusUserName: "censusUserName",
  kmsKeyArn: "kmsKeyArn",
};

export type ProjectListing = { ok: true; projects: PinpointProjectSummary[] } | { ok: false; reason: string };

export interface ResolveSetupInputsOptions {
  flags: SetupFlags;
  env: Readonly<Record<string, string | undefined>>;
  /** False under --no-input or when stdin is not a TTY: nothing is asked. */
  interactive: boolean;
  prompter: Prompter;
  listProjects: (region: PinpointRegion) => Promise<ProjectListing>;
  /** The region of the AWS profile's config: the region question's default, or the region itself when nothing may be asked. */
  defaultRegion?: string;
  /**
   * The caller's account (the default bucket name contains it). Asked for only after the region, so
   * the first question appears while the AWS identity is still being looked up.
   */
  accountId: (region: PinpointRegion) => Promise<string>;
  onProgress?: ProgressReporter;
}

export interface ResolvedSetupInputs {
  inputs: SetupInputs;
  /** Not fatal and not yet shown: the caller prints them (e.g. an unusual project ID under --no-input). */
  warnings: string[];
  /** The project's name, when it was chosen from Pinpoint's list: shown beside its ID. */
  projectName?: string;
}

const REGION_VARIABLES = ["AWS_REGION", "AWS_DEFAULT_REGION"] as const;

/**
 * Region first (projects are listed per region), then the project, then the optional customization.
 *
 * An unusual project ID (not 32 lowercase hex characters) is confirmed when the user can be asked;
 * declining asks for the ID again, since the likely cause is a mistyped or wrongly copied ID. Without
 * a terminal the ID is used and the warning returned. An ID that AWS listed needs no confirmation.
 */
export async function resolveSetupInputs(options: ResolveSetupInputsOptions): Promise<ResolvedSetupInputs> {
  const { flags, interactive } = options;
  checkFlags(flags);
  const region = await resolveRegion(options);
  // Without a terminal the ID can only come from its flag: a missing one is reported before the account
  // lookup, whose credentials error would otherwise hide the real mistake.
  const given: ChosenProject | undefined = interactive ? undefined : { id: projectIdFlag(flags) };
  const accountId = await options.accountId(region);
  const project = given ?? (await askProjectId(options, region));
  const customized = interactive ? await customize(options, region, project.id, accountId) : {};
  const validated = asFlagError(() =>
    validateStagingInputs({
      region,
      pinpointProjectId: project.id,
      accountId,
      bucketName: flags.bucketName,
      expirationDays: flags.expirationDays,
      importerRoleName: flags.importerRoleName,
      censusUserName: flags.censusUserName,
      kmsKeyArn: flags.kmsKeyArn,
      ...customized,
    }),
  );
  return {
    inputs: {
      region: validated.region,
      projectId: validated.pinpointProjectId,
      bucketName: validated.bucketName,
      // Only when asked for: a re-run without it keeps what the stack already has.
      expirationDays: (flags.expirationDays ?? customized.expirationDays) === undefined ? undefined : validated.expirationDays,
      importerRoleName: validated.importerRoleName,
      censusUserName: validated.censusUserName,
      kmsKeyArn: validated.kmsKeyArn,
    },
    warnings: validated.warnings.filter((warning) => warning !== project.acknowledgedWarning),
    ...(project.name !== undefined ? { projectName: project.name } : {}),
  };
}

/** A mistyped flag is reported before the first question, not after the user has answered them all. */
function checkFlags(flags: SetupFlags): void {
  asFlagError(() => {
    if (flags.region !== undefined) validateRegion(flags.region);
    if (flags.projectId !== undefined) checkProjectId(flags.projectId);
    if (flags.bucketName !== undefined) validateBucketName(flags.bucketName);
    if (flags.expirationDays !== undefined) validateExpirationDays(flags.expirationDays);
    if (flags.importerRoleName !== undefined) validateIamName("importerRoleName", flags.importerRoleName);
    if (flags.censusUserName !== undefined) validateIamName("censusUserName", flags.censusUserName);
  });
}

function asFlagError<T>(validate: () => T): T {
  try {
    return validate();
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    const flag = INPUT_FLAGS[error.field];
    if (flag === undefined) throw error;
    throw new UsageError(`${flagSpelling(flag)}: ${error.message}`);
  }
}

async function resolveRegion(options: ResolveSetupInputsOptions): Promise<PinpointRegion> {
  const { flags, env, interactive, prompter, defaultRegion, onProgress = silentProgress } = options;
  if (flags.region !== undefined) return validateRegion(flags.region);
  const variable = REGION_VARIABLES.find((name) => env[name]);
  if (variable !== undefined) {
    try {
      const region = validateRegion(env[variable] ?? "");
      onProgress({ kind: "info", message: `Using region ${region} (from ${variable}).` });
      return region;
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      // A shell-wide AWS_REGION often points elsewhere than the Pinpoint project; asking beats failing.
      const problem = `${variable}: ${error.message}`;
      if (!interactive) throw new UsageError(problem, `Pass ${flagSpelling("region")} with the region of your Pinpoint project.`);
      onProgress({ kind: "warning", message: `Ignoring ${problem}` });
    }
  }
  if (interactive) return prompter.chooseRegion(defaultRegion);
  if (defaultRegion !== undefined) return profileRegion(defaultRegion, onProgress);
  throw new UsageError(
    `No AWS region given: pass ${flagSpelling("region")} <region>, the region of your Pinpoint project.`,
    `Amazon Pinpoint regions: ${PINPOINT_REGION_NAMES.join(", ")}.`,
  );
}

/**
 * Without a terminal the AWS profile's region is the region itself, as AWS_REGION's would be: one
 * without Pinpoint is reported as the profile's, not skipped for "No AWS region given".
 */
function profileRegion(region: string, onProgress: ProgressReporter): PinpointRegion {
  try {
    const valid = validateRegion(region);
    onProgress({ kind: "info", message: `Using region ${valid} (from the AWS profile).` });
    return valid;
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    throw new UsageError(`The AWS profile's region: ${error.message}`, `Pass ${flagSpelling("region")} with the region of your Pinpoint project.`);
  }
}

function projectIdFlag(flags: SetupFlags): string {
  if (flags.projectId === undefined) {
    throw new UsageError(
      `No Pinpoint project ID given: pass ${flagSpelling("projectId")} <id>.`,
      "Find it in the Amazon Pinpoint console under All projects, or run in a terminal to choose from a list.",
    );
  }
  return flags.projectId;
}

/** `acknowledgedWarning`: the user already confirmed this ID's warning, so it is not shown again. */
interface ChosenProject {
  id: string;
  name?: string;
  acknowledgedWarning?: string;
}

async function askProjectId(options: ResolveSetupInputsOptions, region: PinpointRegion): Promise<ChosenProject> {
  const { flags, prompter } = options;
  let id = flags.projectId;
  if (id === undefined) {
    const listed = await chooseListedProject(options, region);
    if (listed !== undefined) return { id: listed.id, name: listed.name, acknowledgedWarning: checkProjectId(listed.id).warning };
    id = await prompter.enterProjectId();
  }
  for (let warning = checkProjectId(id).warning; warning !== undefined; warning = checkProjectId(id).warning) {
    if (await prompter.confirmUnusualProjectId(warning)) return { id, acknowledgedWarning: warning };
    id = await prompter.enterProjectId();
  }
  return { id };
}

/** Undefined when the user must type the ID: listing failed, found nothing, or the user chose to. */
async function chooseListedProject(options: ResolveSetupInputsOptions, region: PinpointRegion): Promise<PinpointProjectSummary | undefined> {
  const { prompter, listProjects, onProgress = silentProgress } = options;
  const listing = await listProjects(region);
  if (!listing.ok) {
    const reason = listing.reason.replace(/\s+/g, " ").trim();
    onProgress({ kind: "warning", message: `Could not list the Pinpoint projects in ${region} (${reason}); enter the project ID instead.` });
    return undefined;
  }
  if (listing.projects.length === 0) {
    onProgress({ kind: "warning", message: `No Pinpoint projects found in ${region}; enter the project ID instead.` });
    return undefined;
  }
  const chosen = await prompter.chooseProject(listing.projects);
  return listing.projects.find((project) => project.id === chosen);
}

type Customization = Pick<StagingInputs, "bucketName" | "expirationDays" | "importerRoleName" | "censusUserName">;

/** Asks only for what no flag already set. */
async function customize(options: ResolveSetupInputsOptions, region: PinpointRegion, projectId: string, accountId: string): Promise<Customization> {
  const { flags, prompter } = options;
  const unset = [flags.bucketName, flags.expirationDays, flags.importerRoleName, flags.censusUserName].some((value) => value === undefined);
  if (!unset || !(await prompter.wantsToCustomize())) return {};
  return {
    bucketName: flags.bucketName ?? (await prompter.enterBucketName(defaultBucketName(accountId, region, projectId))),
    expirationDays: flags.expirationDays ?? (await prompter.enterExpirationDays(DEFAULT_EXPIRATION_DAYS)),
    importerRoleName: flags.importerRoleName ?? (await prompter.enterImporterRoleName(defaultImporterRoleName(projectId))),
    censusUserName: flags.censusUserName ?? (await prompter.enterCensusUserName(defaultCensusUserName(projectId))),
  };
}
