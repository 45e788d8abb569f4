/**
 * `setup`: inputs, read-only preflight, confirmation, then the Pulumi update, and Census's six values.
 * Nothing is written to AWS or the state backend before the user confirmed (or passed --yes).
 *
 * The AWS SDK clients, the Automation API and the verify checks are imported where they are first
 * needed: loaded up front they would multiply the time until the first question appears.
 */
import { isPinpointRegion, partitionOf, type PinpointRegion } from "../../infra/regions.js";
import { DEFAULT_EXPIRATION_DAYS } from "../../infra/validation.js";
import { defaultCensusUserName, defaultImporterRoleName } from "../../infra/names.js";
import { configuredRegion } from "../aws/configuredRegion.js";
import type { CallerIdentity } from "../aws/identity.js";
import type { CensusValues } from "../censusValues.js";
import type { CommandOptions, ProvisionOptions } from "./commandFlags.js";
import type { CommandContext } from "./context.js";
import { MissingPulumiCliError, VerificationError, UsageError } from "../errors.js";
import { ensureHomeWritable, homePaths } from "../home.js";
import { resolveSetupInputs } from "../setup/resolveInputs.js";
import { checkOutputFile, writeOutputFile } from "../outputFile.js";
import type { Prompter } from "../prompts.js";
import type { SetupInputs } from "../setup/inputs.js";
import type { AwsTarget } from "../aws/target.js";
import type { PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import { flagSpelling, withFlags, type FlagKey } from "./flagRegistry.js";
import { pulumiTargetFrom, setupFlags } from "./flags.js";
import { checkSecretsProvider } from "../pulumi/secretsProvider.js";
import { stackCommandLine } from "./commandLine.js";
import { checkPinpointProject } from "./projectCheck.js";
import { runPreflight, type Preflight } from "../setup/preflight.js";
import type { Adoption } from "../adopt/adoptableBucket.js";

export async function setupCommand(flags: CommandOptions<"setup">, context: CommandContext): Promise<void> {
  await provision(flags, context);
}

/**
 * What setup does, and `adopt` with `takeOver`: the bucket made by hand is imported into the stack
 * instead of a new one being created, and everything else is created beside what was made by hand.
 */
export async function provision(flags: ProvisionOptions, context: CommandContext, takeOver?: { existingBucket: string }): Promise<void> {
  const { io, render } = context;
  const command = takeOver ? "adopt" : "setup";
  const askToConfirm = io.mayAsk(
    flags.yes === true,
    () =>
      new UsageError(
        `${command} ${withFlags`creates AWS resources, and without a terminal nothing can be confirmed: pass ${"yes"} to go ahead.`}`,
        `In CI: census-pinpoint ${command} ${withFlags`${"noInput"} ${"yes"} ${"region"} <region> ${"projectId"} <id>`}${takeOver ? ` ${flagSpelling("existingBucket")} ${takeOver.existingBucket}` : ""}`,
      ),
  );
  const outputFile = flags.outputFile;
  const force = flags.force === true;
  if (outputFile !== undefined) await checkOutputFile(outputFile, force);
  await ensureHomeWritable(homePaths(io.env));
  const target = pulumiTargetFrom(flags, context);
  checkSecretsProvider(target.secretsProvider, target.backendUrl ?? io.env.PULUMI_BACKEND_URL ?? "file://");
  // Loading the Automation API and running `pulumi version` take seconds of CPU: they start once the
  // region is known (the first question is on screen by then) and go on while the user answers.
  let pulumiLookup: Promise<PulumiCommand> | undefined;
  const startPulumiLookup = () =>
    (pulumiLookup ??= import("../pulumi/pulumiCli.js").then(({ ensurePulumiCli }) => ensurePulumiCli({ pulumiCommand: context.pulumiCommand, env: io.env })));
  const identity = identityLookup(target.profile, io.env, (who) => render.info(`Using AWS account ${who.accountId} as ${who.arn}.`));
  const defaultRegion = await configuredRegion(target.profile, io.env);
  // The credential lookup starts once the first question is on screen, so that question appears as
  // fast as before; a failure no answer can change (no credentials, an expired SSO session, an
  // unreachable endpoint) then ends the question at once, instead of after the user has answered it.
  const lookupFailed = new AbortController();
  const prompter = afterFirstQuestion(io.prompter().withSignal(lookupFailed.signal), () =>
    identity.startEarly(defaultRegion !== undefined && isPinpointRegion(defaultRegion) ? defaultRegion : "us-east-1", (error) => lookupFailed.abort(error)),
  );
  const { inputs, warnings, accountId, projectName } = await resolveSetupInputs({
    flags: { ...setupFlags(flags), ...(takeOver ? { bucketName: takeOver.existingBucket } : {}) },
    env: io.env,
    interactive: io.interactive,
    prompter,
    listProjects: async (region) => (await import("../aws/pinpoint.js")).listPinpointProjects({ region, profile: target.profile, env: io.env }),
    defaultRegion,
    accountId: async (region) => {
      startPulumiLookup().catch(() => {});
      return (await identity.inRegion(region)).accountId;
    },
    onProgress: render.progress,
  })
    .then(async (resolved) => ({ ...resolved, accountId: (await identity.inRegion(resolved.inputs.region)).accountId }))
    // Ctrl-C at the region question, or an answer in another partition, leaves the early lookup unneeded.
    .finally(() => identity.stopEarly());
  for (const warning of warnings) render.warning(warning);
  const aws: AwsTarget = { region: inputs.region, profile: target.profile, env: io.env };

  // First, before the Pulumi CLI is looked for (or installed): a project Pinpoint does not confirm
  // stops the run here unless accepted.
  const unconfirmed = await checkPinpointProject(aws, inputs, accountId, context, { accepted: flags.acceptEndOfSupport === true, prompter });
  if (unconfirmed !== undefined) {
    render.warning(unconfirmed);
    warnings.push(unconfirmed);
  }
  const adopting = takeOver ? await import("../adopt/takeOver.js") : undefined;
  const adoption = await adopting?.checkTakeOver(aws, inputs, render.progress);
  const pulumiCommand = await findOrInstallPulumi(startPulumiLookup(), context, prompter);
  const preflight = await runPreflight(target, aws, inputs, accountId, { onProgress: render.progress, pulumiCommand }, adoption?.bucketName);
  render.stop();
  // A stack keeps the bucket it has unless another name is asked for: defaults change between versions.
  const wanted: SetupInputs = {
    ...inputs,
    bucketName: inputs.bucketName ?? preflight.existing?.bucketName,
    expirationDays: inputs.expirationDays ?? adoption?.keptExpirationDays,
  };
  // A re-run of adopt after the bucket was taken over (or after a stop) updates like setup.
  const importBucket = adoption ? adopting!.bucketToImport(adoption, preflight.existing?.bucketName, inputs) : undefined;

  if (preflight.existing) {
    const [{ previewUpdate }, { showPlanAndConsent }, { stackConfigFor }] = await Promise.all([
      import("../pulumi/changePlan.js"),
      import("./changeConsent.js"),
      import("../pulumi/stackConfig.js"),
    ]);
    render.progress({ kind: "step", message: `Previewing the update of stack ${preflight.stackName}, with what is in AWS now` });
    const plan = await previewUpdate(preflight.existing.opened, stackConfigFor(wanted), { onProgress: render.progress, verbose: flags.verbose === true });
    await showPlanAndConsent(plan, flags, context, { stackName: preflight.stackName, projectId: inputs.projectId, aws });
    if (plan.length > 0 && !(await confirmed(askToConfirm, context, prompter, `Update stack ${preflight.stackName} as listed above.`))) {
      render.info("Nothing was changed.");
      return;
    }
  } else if (!(await confirmed(askToConfirm, context, prompter, adoption ? adoptionSummary(wanted, accountId, adoption, projectName) : confirmationSummary(inputs, accountId, preflight, projectName)))) {
    render.info("Nothing was created.");
    return;
  }

  const resumeCommand = resumeCommandFor(flags, wanted, command, unconfirmed !== undefined);
  const [{ deployStack }, { runInterruptibly }] = await Promise.all([import("../pulumi/deployStack.js"), import("./interruptibleUpdate.js")]);
  const deployed = await runInterruptibly(context, { stackName: preflight.stackName, resumeCommand }, (signal) =>
    deployStack(target, wanted, { onProgress: render.progress, pulumiCommand, verbose: flags.verbose === true, signal, resumeCommand, importBucket }),
  );
  if (!deployed.changed) render.info(`No changes: stack ${deployed.stackName} was already up to date.`);

  const { verifyInputFromValues, verifyStaging } = await import("../verify/verifyStaging.js");
  const verification =
    flags.skipVerify === true
      ? undefined
      : await verifyStaging(verifyInputFromValues(deployed.values, { profile: target.profile }, { recentlyChanged: deployed.changed }), {
          onProgress: render.progress,
          env: io.env,
        });

  const handOver = adopting?.censusChanges(deployed.values, flags);
  const document = { ...resultDocument(deployed.values, deployed.stackName, deployed.changed, warnings), verification, ...(handOver ? { adopted: handOver } : {}) };
  if (flags.json === true) render.json(document);
  else {
    // The values come last, so that what Census needs is what stays on screen after the checks.
    if (verification) render.connectionTest(verification.checks);
    render.censusValues(deployed.values, { showSecret: true });
    if (handOver) render.lines(handOver.steps);
  }
  if (outputFile !== undefined) {
    await writeOutputFile(outputFile, document, force);
    render.info(`Wrote the values to ${outputFile} (readable only by you).`);
  }
  const failed = verification?.checks.filter((check) => check.status === "failed").length ?? 0;
  if (failed > 0) {
    // The resources exist and the values above are right; what fails is how they work together.
    throw new VerificationError(
      `Provisioning succeeded, but ${failed} of ${verification!.checks.length} connection checks failed.`,
      `${flags.json === true ? "Each failed check's `fix` says" : "Under each ✘ is"} what to do; then run \`${stackCommandLine("verify", deployed.stackName, {})}\`.`,
    );
  }
}

/** The six values in Census's order first, then what scripts need to find the stack again. */
function resultDocument(values: CensusValues, stack: string, changed: boolean, warnings: string[]) {
  return { ...values, stackName: stack, changed, warnings };
}

/**
 * Who we are in AWS: an STS call, reported once (when the region is known, so the report never lands
 * in the middle of a question). `startEarly` makes the call while the region question is still open,
 * in a likely region (the AWS profile's, else us-east-1). `inRegion` takes that call's answer when the
 * chosen region is in the same partition, and its failure when made in the chosen region itself or
 * one that no region could change (`failsInEveryRegion`); otherwise it asks STS in the chosen region,
 * as setup did before.
 */
function identityLookup(profile: string | undefined, env: NodeJS.ProcessEnv, onFound: (identity: CallerIdentity) => void) {
  const lookUp = async (region: PinpointRegion, signal?: AbortSignal) => (await import("../aws/identity.js")).getCallerIdentity({ region, profile, env }, { signal });
  let early: { region: PinpointRegion; lookup: Promise<CallerIdentity> } | undefined;
  let chosen: Promise<CallerIdentity> | undefined;
  const stop = new AbortController();

  async function resolve(region: PinpointRegion): Promise<CallerIdentity> {
    // Credentials of one partition are unknown in the other: there the early answer says nothing.
    if (early === undefined || partitionOf(early.region) !== partitionOf(region)) return lookUp(region);
    try {
      return await early.lookup;
    } catch (error) {
      if (early.region === region || (await import("../aws/identity.js")).failsInEveryRegion(error)) throw error;
    }
    return lookUp(region);
  }

  return {
    /** `onDecisiveFailure`: the call failed, before the region was chosen, in a way that the region cannot change. */
    startEarly(region: PinpointRegion, onDecisiveFailure: (error: unknown) => void): void {
      if (early !== undefined || chosen !== undefined) return;
      early = { region, lookup: lookUp(region, stop.signal) };
      early.lookup.catch(async (error: unknown) => {
        // Once the region is chosen, inRegion reports the failure (or asks again in another partition).
        if (chosen === undefined && !stop.signal.aborted && (await import("../aws/identity.js")).failsInEveryRegion(error)) onDecisiveFailure(error);
      });
    },
    /** Abandons the early call if it is still under way: a hanging request would keep the process alive after setup ended. */
    stopEarly(): void {
      stop.abort();
    },
    inRegion(region: PinpointRegion): Promise<CallerIdentity> {
      return (chosen ??= resolve(region).then((identity) => {
        onFound(identity);
        return identity;
      }));
    },
  };
}

/**
 * `prompter`, calling `start` once its first question is on screen: Inquirer draws a question on the
 * next turn of the event loop (setImmediate) after it is asked, and `start` is queued behind it, so
 * whatever `start` loads (the AWS SDK) never delays the first paint.
 */
function afterFirstQuestion(prompter: Prompter, start: () => void): Prompter {
  let started = false;
  return new Proxy(prompter, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function" || property === "withSignal") return value;
      return (...args: unknown[]) => {
        const asked: unknown = value.apply(target, args);
        if (!started) {
          started = true;
          setImmediate(start);
        }
        return asked;
      };
    },
  });
}

/** The CLI on PATH; when there is none and the user may be asked, an install with their consent. */
async function findOrInstallPulumi(lookup: Promise<PulumiCommand>, context: CommandContext, prompter: Prompter) {
  context.render.progress({ kind: "step", message: "Looking for the Pulumi CLI" });
  try {
    return await lookup;
  } catch (error) {
    if (!(error instanceof MissingPulumiCliError)) throw error;
    context.io.mayAsk(false, () => error);
    // The question says the CLI is missing; declining ends with the error and its install hint.
    context.render.stop();
    if (!(await prompter.confirmInstallPulumi())) throw error;
    const { defaultInstallRoot, installPulumiCli } = await import("../pulumi/pulumiCli.js");
    const root = defaultInstallRoot(context.io.env);
    context.render.progress({ kind: "step", message: `Installing the Pulumi CLI into ${root}` });
    const installed = await installPulumiCli(root, context.io.env);
    context.render.info(`Installed the Pulumi CLI ${installed.version?.version ?? ""} into ${root}.`);
    return installed;
  }
}

/** Facts one a line, their labels aligned; a fact without a value is left out. */
function factLines(facts: ReadonlyArray<[string, string | undefined]>): string[] {
  const width = Math.max(...facts.map(([label]) => label.length)) + 2;
  return facts.flatMap(([label, value]) => (value === undefined ? [] : [`${`${label}:`.padEnd(width)}${value}`]));
}

function projectLabel(projectId: string, projectName: string | undefined): string {
  return projectName === undefined ? projectId : `${projectName} (${projectId})`;
}

/** A name only when it is not the default, which the summary need not repeat. */
function unlessDefault(name: string | undefined, defaultName: string): string | undefined {
  return name === defaultName ? undefined : name;
}

/** Where setup creates what, the expiry and every name that is not the default, then what is created. */
function confirmationSummary(inputs: SetupInputs, accountId: string, preflight: Preflight, projectName: string | undefined): string {
  const what =
    "Create: the S3 staging bucket (with its lifecycle rule, encryption, public access block and TLS-only policy), " +
    "the importer role Pinpoint assumes with its policy, and the IAM user, group, policy and access key Census uses.";
  return [
    ...factLines([
      ["AWS account", accountId],
      ["Region", inputs.region],
      ["Pinpoint project", projectLabel(inputs.projectId, projectName)],
      ["Staging bucket", preflight.bucketName],
      ["Files expire", `${inputs.expirationDays ?? DEFAULT_EXPIRATION_DAYS} days after staging`],
      ["Importer role", unlessDefault(inputs.importerRoleName, defaultImporterRoleName(inputs.projectId))],
      ["Census user", unlessDefault(inputs.censusUserName, defaultCensusUserName(inputs.projectId))],
      ["KMS key", inputs.kmsKeyArn],
    ]),
    what,
  ].join("\n");
}

function adoptionSummary(inputs: SetupInputs, accountId: string, adoption: Adoption, projectName: string | undefined): string {
  const files = `${adoption.objects.count}${adoption.objects.more ? "+" : ""} file${adoption.objects.count === 1 && !adoption.objects.more ? "" : "s"}`;
  const replaced = adoption.replaced.length > 0 ? ` This replaces ${adoption.replaced.join(" and ")}.` : "";
  return [
    `AWS account:      ${accountId}`,
    `Region:           ${inputs.region}`,
    `Pinpoint project: ${projectLabel(inputs.projectId, projectName)}`,
    `Staging bucket:   ${adoption.bucketName} (made by hand, ${files}: kept)`,
    `Take over the bucket into the stack, with its name and files, and give it the stack's settings: files expire after ${inputs.expirationDays ?? DEFAULT_EXPIRATION_DAYS} days, encryption, public access block and a TLS-only policy.${replaced}`,
    "Create beside what was made by hand: the importer role Pinpoint assumes with its policy, and the IAM user, group, policy and access key Census uses. The old role, user and key are not changed.",
  ].join("\n");
}

/** The user's answer, unless --yes gave it (without a terminal, --yes was required up front). */
async function confirmed(ask: boolean, context: CommandContext, prompter: Prompter, summary: string): Promise<boolean> {
  if (!ask) return true;
  context.render.stop();
  return prompter.confirmSetup(summary);
}

/** The command that resumes this run: the same inputs, and the consents given, without questions. */
function resumeCommandFor(flags: ProvisionOptions, inputs: SetupInputs, command: "setup" | "adopt", acceptedUnconfirmedProject: boolean): string {
  const keep: Array<[FlagKey, string | undefined]> = [
    ["region", inputs.region],
    ["projectId", inputs.projectId],
    [command === "adopt" ? "existingBucket" : "bucketName", inputs.bucketName],
    ["expirationDays", inputs.expirationDays?.toString()],
    ["importerRoleName", inputs.importerRoleName],
    ["censusUserName", inputs.censusUserName],
    ["kmsKeyArn", inputs.kmsKeyArn],
    ["profile", flags.profile],
    ["backendUrl", flags.backendUrl],
    ["secretsProvider", flags.secretsProvider],
  ];
  const consents: FlagKey[] = [...(flags.allowReplace === true ? ["allowReplace" as const] : []), ...(acceptedUnconfirmedProject ? ["acceptEndOfSupport" as const] : []), "yes"];
  return [
    `census-pinpoint ${command}`,
    ...keep.flatMap(([key, value]) => (value === undefined ? [] : [`${flagSpelling(key)} ${value}`])),
    ...consents.map(flagSpelling),
  ].join(" ");
}
