/**
 * setup's first check, before the Pulumi CLI is even looked for: does Amazon Pinpoint know the
 * project? A project that is not there is a usage error (usually a mistyped ID or the wrong region).
 * One Pinpoint does not confirm (refused since its end of support on 30 October 2026, access denied,
 * no clear answer) stops the run before anything is created, unless the user accepts: the key setup
 * makes is a long-lived credential held by a third party, and would serve an import that cannot run.
 * `adopt` goes through here too (it provisions through setup).
 */
import { partitionOf } from "../../infra/regions.js";
import type { PinpointProjectLookup } from "../aws/pinpoint.js";
import type { CommandContext } from "./context.js";
import { flagSpelling } from "./flagRegistry.js";
import { UsageError, VerificationError } from "../errors.js";
import type { Prompter } from "../prompts.js";
import type { SetupInputs } from "../setup/inputs.js";
import type { AwsTarget } from "../aws/target.js";
import { pointingToDoctor } from "../setup/preflight.js";

/** The flag that accepts a project Amazon Pinpoint did not confirm. */
const ACCEPT_FLAG = flagSpelling("acceptEndOfSupport");

type UnconfirmedLookup = Extract<PinpointProjectLookup, { status: "unavailable" }>;

/** Pinpoint's answer as a sentence of its own. */
function answerOf(lookup: UnconfirmedLookup): string {
  return `${lookup.reason.charAt(0).toUpperCase()}${lookup.reason.slice(1)}.`;
}

/** A stop in words: why no key is made for this project, and what the user can do. */
function unconfirmedProject(lookup: UnconfirmedLookup, inputs: SetupInputs, accountId: string): { message: string; hint: string } {
  const project = `Amazon Pinpoint project ${inputs.projectId} in ${inputs.region}`;
  const answer = answerOf(lookup);
  switch (lookup.cause) {
    case "end-of-support":
      return {
        message: `Amazon Pinpoint refused project ${inputs.projectId} in ${inputs.region}: Pinpoint's engagement features, segment imports included, ended on 30 October 2026, so no long-lived access key is created for an import that cannot run.`,
        hint: `${answer} Nothing was created. If your account can still run Pinpoint segment imports, run again with ${ACCEPT_FLAG}.`,
      };
    case "access-denied":
      return {
        message: `Could not confirm ${project}: these credentials may not read it (mobiletargeting:GetApp), so no long-lived access key is created for a project that may be gone or no longer served.`,
        hint:
          `${answer} Nothing was created. Allow mobiletargeting:GetApp on arn:${partitionOf(inputs.region)}:mobiletargeting:${inputs.region}:${accountId}:apps/${inputs.projectId} ` +
          `(\`census-pinpoint doctor\` checks every permission setup needs), or run again with ${ACCEPT_FLAG} to go on without the check.`,
      };
    case "unreachable":
    case "failed":
      return {
        message: `Could not confirm ${project}, so no long-lived access key is created: ${lookup.reason}.`,
        hint: `Nothing was created. Run again later; if Pinpoint no longer answers since its end of support and your account can still run segment imports, run again with ${ACCEPT_FLAG}.`,
      };
  }
}

export interface ProjectCheckOptions {
  /** --accept-end-of-support was given. */
  accepted: boolean;
  prompter: Prompter;
}

/**
 * Whether setup may go on with the project: it exists, or Pinpoint did not confirm it and the user
 * accepted (the flag, or yes in a terminal). Returns the warning that records an acceptance. Throws a
 * UsageError when the project is not there (usually a mistyped ID), and a VerificationError (exit 5)
 * when it was not confirmed and not accepted; nothing has been created at that point.
 */
export async function checkPinpointProject(aws: AwsTarget, inputs: SetupInputs, accountId: string, context: CommandContext, options: ProjectCheckOptions): Promise<string | undefined> {
  try {
    return await checkProject(aws, inputs, accountId, context, options);
  } catch (error) {
    throw pointingToDoctor(error);
  }
}

async function checkProject(aws: AwsTarget, inputs: SetupInputs, accountId: string, context: CommandContext, options: ProjectCheckOptions): Promise<string | undefined> {
  const { render } = context;
  render.progress({ kind: "step", message: `Checking Pinpoint project ${inputs.projectId} in ${inputs.region}` });
  const { findPinpointProject } = await import("../aws/pinpoint.js");
  const project = await findPinpointProject(aws, inputs.projectId);
  if (project.status === "found") return undefined;
  if (project.status === "not-found") {
    throw new UsageError(
      `There is no Amazon Pinpoint project ${inputs.projectId} in ${inputs.region} for account ${accountId}.`,
      `Check the project ID (Pinpoint console → All projects) and pass ${flagSpelling("region")} with the region the project is in.`,
    );
  }
  const unconfirmed = `Amazon Pinpoint did not confirm project ${inputs.projectId} in ${inputs.region} (${project.reason})`;
  const { message, hint } = unconfirmedProject(project, inputs, accountId);
  if (!context.io.mayAsk(options.accepted, () => new VerificationError(message, hint))) return `${unconfirmed}; going on, as ${ACCEPT_FLAG} accepts.`;
  render.stop();
  // Whichever way the ID was given (a flag, the project list, typed after the list failed), this asks.
  if (await options.prompter.acceptUnconfirmedProject(`${message}\n${answerOf(project)}`)) {
    return `${unconfirmed}; going on, as you accepted.`;
  }
  throw new VerificationError(`Declined: nothing was created, as Amazon Pinpoint did not confirm project ${inputs.projectId} in ${inputs.region}.`, `To go on without a terminal, run again with ${ACCEPT_FLAG}.`);
}
