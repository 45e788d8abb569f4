/**
 * `status`: read-only, for one stack or every stack of the backend (`--all`): what differs in AWS from
 * the last update, access to the Census user that the stack did not give, each key's age and last use,
 * a pending rotation, whether the Pinpoint project answers, and the last update. Exit 0 when all is in
 * order, 5 (VerificationError) with what to do for each finding.
 */
import type { CommandOptions } from "./commandFlags.js";
import type { CommandContext } from "./context.js";
import { flagSpelling, withFlags, type FlagKey } from "./flagRegistry.js";
import { AwsCredentialsError, CliError, UsageError } from "../errors.js";
import { listStacks } from "../pulumi/stacks.js";
import { checkStack } from "../status/checkStack.js";
import { statusFailure, type FixCommands } from "../status/findings.js";
import type { StackStatus } from "../status/report.js";
import { setupCommandLine, stackCommandLine } from "./commandLine.js";
import { pulumiTargetFrom } from "./flags.js";
import { selectStack, type SelectedStack } from "./stackSelection.js";

type Options = CommandOptions<"status">;

function fixCommands({ ref, name }: SelectedStack, flags: Options): FixCommands {
  return {
    setup: setupCommandLine(ref, flags),
    rotateKey: stackCommandLine("rotate-key", name, flags),
    finishRotation: stackCommandLine("rotate-key", name, flags, [flagSpelling("finish")]),
    teardown: stackCommandLine("teardown", name, flags),
  };
}

async function everyStack(flags: Options, context: CommandContext): Promise<SelectedStack[]> {
  const named = (["stack", "region", "projectId"] as const satisfies readonly FlagKey[]).filter((key) => flags[key] !== undefined).map(flagSpelling);
  if (named.length > 0) {
    throw new UsageError(
      `${flagSpelling("all")} checks every stack in the backend: it cannot be combined with ${named.join(" or ")}.`,
      withFlags`Pass ${"all"} alone, or name one stack without ${"all"}.`,
    );
  }
  const target = pulumiTargetFrom(flags, context);
  context.render.progress({ kind: "step", message: "Reading the stacks in the backend" });
  const listings = await listStacks(target, { pulumiCommand: context.pulumiCommand, onProgress: context.render.progress });
  return listings.flatMap((listing) => {
    if (listing.ref) return [{ target, ref: listing.ref, name: listing.name }];
    context.render.info(`Stack ${listing.name} is not named <region>-<projectId>, so census-pinpoint did not make it: not checked.`);
    return [];
  });
}

/** A stack --all could not read: a finding of its own, so that the other stacks are still checked. */
function unreadable({ ref, name }: SelectedStack, error: CliError, flags: Options): StackStatus {
  return {
    stackName: name,
    region: ref.region,
    projectId: ref.projectId,
    state: "unreadable",
    ok: false,
    lastUpdate: null,
    stagingBucketName: null,
    censusUserName: null,
    keys: [],
    rotation: null,
    pinpoint: null,
    findings: [{ kind: "unreadable", problem: error.message, todo: error.hint ?? `Run \`${stackCommandLine("status", name, flags, [flagSpelling("verbose")])}\` for details.` }],
  };
}

export async function statusCommand(flags: Options, context: CommandContext): Promise<void> {
  const { render } = context;
  const all = flags.all === true;
  const json = flags.json === true;
  const selected = all ? await everyStack(flags, context) : [await selectStack(flags, context)];
  const now = Date.now();
  // One stack at a time: parallel Pulumi CLI runs from one process are not reliable (pulumi/pulumi#10523).
  const stacks: StackStatus[] = [];
  for (const stack of selected) {
    const options = { onProgress: render.progress, pulumiCommand: context.pulumiCommand, verbose: flags.verbose === true, commands: fixCommands(stack, flags), now };
    try {
      stacks.push(await checkStack(stack.target, stack.ref, options));
    } catch (error) {
      // Missing or refused AWS credentials would fail every stack alike: they stop the command.
      if (!all || !(error instanceof CliError) || error instanceof AwsCredentialsError) throw error;
      stacks.push(unreadable(stack, error, flags));
    }
  }
  const report = { ok: stacks.every((stack) => stack.ok), stacks };
  if (json) render.json(report);
  else render.status(report);
  const failure = statusFailure(report, { json });
  if (failure) throw failure;
}
