/**
 * The Automation API driver: opens the stack `<region>-<projectId>` with the inline program in a
 * persistent work dir (so `pulumi -C <workDir> stack output` works on the same stack), writes its
 * config, runs the update and reads the outputs. Never prints: progress goes to `onProgress`,
 * failures are thrown as the CLI's typed errors.
 */
import { mkdir, readdir, rm } from "node:fs/promises";
import { MissingStackError, PulumiError, UsageError } from "../errors.js";
import type { ConfigMap, OutputMap, PulumiCommand, Stack, UpdateSummary } from "@pulumi/pulumi/automation/index.js";
import { PROJECT_NAME, stackName as stackNameOf, stagingBucketResourceName } from "../../infra/names.js";
import type { CensusValues } from "../censusValues.js";
import { homePaths } from "../home.js";
import { type ProgressReporter, silentProgress } from "../progress.js";
import type { SetupInputs } from "../setup/inputs.js";
import type { AwsTarget } from "../aws/target.js";
import { loadAutomation } from "./automation.js";
import { resolveBackendUrl } from "./backend.js";
import { ensurePulumiCli } from "./pulumiCli.js";
import { engineOutput, trackEngineEvents } from "./events.js";
import { stopSignalOf } from "../interrupt.js";
import { type FailureContext, interruptedError, pulumiFailureToCliError } from "./failure.js";
import { adoptingProgram, adoptionKey, resolveInterruptedCreates } from "./interruptedCreates.js";
import { NAMED_TYPES } from "../aws/namedTypes.js";
import { censusValuesFrom } from "./outputs.js";
import { generatePassphrase, missingPassphraseError, resolvePassphrase, type Passphrase } from "./passphrase.js";
import { stackProgram } from "./program.js";
import { runStackCommand } from "./stackCommand.js";
import { checkSecretsProvider, defaultSecretsProvider, describeSecretsProvider, stackSecretsProvider, usesPassphrase } from "./secretsProvider.js";
import { stackConfigFor } from "./stackConfig.js";
import { removeTruncatedMetadata } from "./truncatedMetadata.js";

export { warmUp } from "./automation.js";

/** Where the state lives and as whom the AWS provider runs. */
export interface PulumiTarget {
  /** --backend-url; else PULUMI_BACKEND_URL; else the file backend under CENSUS_PINPOINT_HOME. */
  backendUrl?: string;
  /** AWS named profile for the provider (--profile / AWS_PROFILE). */
  profile?: string;
  /** setup's --secrets-provider: for a new stack, or to move an existing one to another provider. */
  secretsProvider?: string;
  env: NodeJS.ProcessEnv;
}

/** Names the stack: `<region>-<projectId>`. */
export interface StackRef {
  region: string;
  projectId: string;
}

export interface DeployOptions {
  onProgress: ProgressReporter;
  /** Tests inject a fake; otherwise the CLI on PATH (or in the default install root). */
  pulumiCommand?: PulumiCommand;
  /** Report the CLI's raw output as "engine-output" events. */
  verbose?: boolean;
  /** Aborting it stops the update (the CLI gets SIGINT) and the result is an InterruptedError. */
  signal?: AbortSignal;
  /** The command line that resumes this update, quoted in error hints. */
  resumeCommand?: string;
  /** `adopt`: the staging bucket made by hand, which this update imports (Pulumi's `import`) instead of creating one. */
  importBucket?: string;
}

/** What an update of an already opened stack needs: the CLI is the one the stack was opened with. */
export type UpdateOptions = Omit<DeployOptions, "pulumiCommand">;

export interface UpdateResult {
  /** Every stack output, the secret ones in clear. */
  outputs: OutputMap;
  /** False when the update left every resource as it was. */
  changed: boolean;
}

export interface DeployResult {
  values: CensusValues;
  /** False when the update left every resource as it was. */
  changed: boolean;
  stackName: string;
  workDir: string;
}

export interface OpenStack {
  stack: Stack;
  workDir: string;
  context: FailureContext;
  /** The stack's region and the AWS profile its provider runs as, for AWS SDK calls about it. */
  aws: AwsTarget;
}

/**
 * The stack `<region>-<projectId>` in its work dir, with backend, secrets and CLI resolved. An existing
 * stack's settings (config, secrets provider) are restored from its backend first: the work dir is a
 * cache, and another machine may have changed the stack since this one last saw it. With
 * `create: false` a missing stack is a UsageError naming `setup`. Errors are already typed.
 */
export async function openStack(
  target: PulumiTarget,
  ref: StackRef,
  options: { create: boolean; onProgress: ProgressReporter; pulumiCommand?: PulumiCommand },
): Promise<OpenStack> {
  const { env } = target;
  const home = homePaths(env);
  const name = stackNameOf(ref.region, ref.projectId);
  const workDir = home.workDir(name);
  const context: FailureContext = { stackName: name, workDir };
  try {
    const [automation, pulumiCommand, backendUrl, found] = await Promise.all([
      loadAutomation(),
      ensurePulumiCli({ pulumiCommand: options.pulumiCommand, env }),
      resolveBackendUrl(target.backendUrl, env, home),
      resolvePassphrase(env),
      ensureWorkDir(workDir, name),
    ]);
    let passphrase = found;
    Object.assign(context, { backendUrl, passphraseSource: passphrase.source, missingPassphraseFile: passphrase.missingFile });
    const requested = checkSecretsProvider(target.secretsProvider, backendUrl);
    await removeTruncatedMetadata(backendUrl, options.onProgress);
    const args = { stackName: name, projectName: PROJECT_NAME, program: stackProgram() };
    const workspaceOptions = (secrets: Passphrase, secretsProvider?: string) => ({
      workDir,
      pulumiCommand,
      envVars: {
        ...secrets.envVars,
        PULUMI_BACKEND_URL: backendUrl,
        // The update check costs a network round trip per command and only adds noise here.
        PULUMI_SKIP_UPDATE_CHECK: "true",
        ...(target.profile ? { AWS_PROFILE: target.profile } : {}),
      },
      projectSettings: { name: PROJECT_NAME, runtime: "nodejs" as const, backend: { url: backendUrl } },
      secretsProvider,
    });
    const { LocalWorkspace } = automation;
    const selected = await selectExisting(() => LocalWorkspace.selectStack(args, workspaceOptions(passphrase)));
    if (selected.stack) {
      const provider = await restoreStackSettings(selected.stack, backendUrl);
      // An update with a new passphrase could not read the stack's secrets; a read that needs them fails and says so (failure.ts).
      if (options.create && usesPassphrase(provider) && passphrase.missingFile !== undefined) throw missingPassphraseError(name, passphrase.missingFile);
      if (!usesPassphrase(provider)) Object.assign(context, { passphraseSource: undefined, missingPassphraseFile: undefined });
      // Only an update moves the secrets: opening the stack to look (setup's preflight) writes nothing.
      if (options.create && requested !== undefined && requested !== provider) await changeSecretsProvider(selected.stack, provider, requested, options.onProgress);
      return { stack: selected.stack, workDir, context, aws: { region: ref.region, profile: target.profile } };
    }
    if (!options.create) throw selected.notFound;
    const provider = requested ?? defaultSecretsProvider(backendUrl);
    // Only a new passphrase stack gets a generated passphrase, and only when there is none.
    if (usesPassphrase(provider) && passphrase.missingFile !== undefined) {
      passphrase = await generatePassphrase(passphrase.missingFile, env, options.onProgress);
      Object.assign(context, { passphraseSource: passphrase.source, missingPassphraseFile: undefined });
    }
    const stack = await LocalWorkspace.createStack(args, workspaceOptions(passphrase, provider));
    return { stack, workDir, context, aws: { region: ref.region, profile: target.profile } };
  } catch (error) {
    const typed = pulumiFailureToCliError(error, context);
    if (typed instanceof MissingStackError) await removeUnusedWorkDir(workDir);
    throw typed;
  }
}

/** `pulumi stack select` needs no secrets, so it can tell whether the stack exists before any are resolved. */
async function selectExisting(select: () => Promise<Stack>): Promise<{ stack?: Stack; notFound?: unknown }> {
  try {
    return { stack: await select() };
  } catch (error) {
    if ((error as Error).name === "StackNotFoundError") return { notFound: error };
    throw error;
  }
}

/**
 * `pulumi config refresh` rewrites the work dir's stack settings from the stack's last update in the
 * backend: its config (names, expiry, KMS key, the rotation's key generation) and its secrets provider
 * (the passphrase's salt, or the KMS key and the encrypted data key). A stack never updated has no
 * such record; its local settings are all there is. Returns the provider the stack uses.
 */
async function restoreStackSettings(stack: Stack, backendUrl: string): Promise<string> {
  try {
    // Not workspace.refreshConfig: it reads the whole config back (secrets in clear) with another CLI run.
    await runStackCommand(stack, ["config", "refresh", "--force"]);
  } catch (error) {
    if (!/no previous deployment/i.test(String((error as Error).message))) throw error;
  }
  const settings = await stack.workspace.stackSettings(stack.name).catch(() => undefined);
  return stackSecretsProvider(settings, backendUrl);
}

/** Re-encrypts the stack's secrets with another provider: how a stack moves from a passphrase to a team's KMS key. */
async function changeSecretsProvider(stack: Stack, from: string, to: string, onProgress: ProgressReporter): Promise<void> {
  onProgress({ kind: "step", message: `Moving the secrets of stack ${stack.name} from ${describeSecretsProvider(from)} to ${describeSecretsProvider(to)}` });
  await runStackCommand(stack, ["stack", "change-secrets-provider", to]);
  onProgress({ kind: "info", message: `The secrets of stack ${stack.name} are now encrypted with ${describeSecretsProvider(to)}.` });
}

/**
 * Looking for a stack that does not exist leaves its work dir behind with only the project file in
 * it. A work dir that also holds a stack config file belongs to a stack in another backend (its config
 * carries the salt that stack's secrets need), so it stays.
 */
async function removeUnusedWorkDir(workDir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(workDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  if (entries.every((entry) => entry === "Pulumi.yaml")) await rm(workDir, { recursive: true, force: true });
}

/**
 * The work dir holds only what census-pinpoint writes there (Pulumi.yaml and the stack's settings), so
 * something else at its path is damage the user must see, not a raw EEXIST/ENOTDIR from mkdir.
 */
async function ensureWorkDir(workDir: string, stackName: string): Promise<void> {
  try {
    await mkdir(workDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EEXIST" && code !== "ENOTDIR") throw error;
    const where = code === "EEXIST" ? `${workDir} is a file` : `a folder above ${workDir} is a file`;
    throw new PulumiError(
      `The Pulumi work dir of stack ${stackName} cannot be created: ${where}.`,
      `Move that file away${code === "EEXIST" ? ` (e.g. \`mv ${workDir} ${workDir}.bak\`)` : ""} and run the command again: census-pinpoint recreates the work dir, and the stack's state is in its backend.`,
    );
  }
}

function hasChanges(summary: UpdateSummary | undefined): boolean {
  // Without a summary nothing proves the update was a no-op.
  if (!summary?.resourceChanges) return true;
  return Object.entries(summary.resourceChanges).some(([op, count]) => op !== "same" && (count ?? 0) > 0);
}

/** Creates or updates the stack for `inputs` and returns Census's values, the secret key in clear. */
export async function deployStack(target: PulumiTarget, inputs: SetupInputs, options: DeployOptions): Promise<DeployResult> {
  const opened = await openStack(target, inputs, { create: true, onProgress: options.onProgress, pulumiCommand: options.pulumiCommand });
  const { outputs, changed } = await updateStack(opened, stackConfigFor(inputs), { ...options, resumeCommand: options.resumeCommand ?? "census-pinpoint setup" });
  return { values: censusValuesFrom(outputs, opened.stack.name, { showSecrets: true }), changed, stackName: opened.stack.name, workDir: opened.workDir };
}

/**
 * Writes `config` into the stack (keys left out keep their values) and runs `up`: the one update path
 * of setup and rotate-key. Engine events go to `onProgress`, failures come back typed, with the
 * resume command in their hint.
 */
export async function updateStack({ stack, context, aws }: OpenStack, config: ConfigMap, options: UpdateOptions): Promise<UpdateResult> {
  const { resumeCommand } = options;
  const interruptedBy = () => stopSignalOf(options.signal);
  const tracker = trackEngineEvents(options.onProgress);
  const output = engineOutput(options.onProgress, options.verbose);
  try {
    await stack.setAllConfig(config);
    const adoptions = await resolveInterruptedCreates(stack, aws, options.onProgress);
    if (options.importBucket !== undefined) adoptions.set(adoptionKey(NAMED_TYPES.bucket, stagingBucketResourceName(PROJECT_NAME)), options.importBucket);
    if (interruptedBy()) throw interruptedError({ ...context, resumeCommand, interruptedBy: interruptedBy() });
    const result = await stack.up({
      program: adoptingProgram(stackProgram(), adoptions),
      // What was deleted or changed by hand in AWS is read first, so the update puts it back.
      refresh: true,
      onEvent: tracker.onEvent,
      onOutput: output.onOutput,
      onError: output.onError,
      signal: options.signal,
      color: "never",
      showSecrets: false,
    });
    return { outputs: result.outputs, changed: hasChanges(result.summary) };
  } catch (error) {
    throw pulumiFailureToCliError(error, { ...context, resumeCommand, failures: tracker.failures, interruptedBy: interruptedBy() });
  } finally {
    output.flush();
  }
}

/** The stack's config as `pulumi config --json` has it. */
export async function readStackConfig({ stack, context }: OpenStack): Promise<ConfigMap> {
  try {
    return await stack.getAllConfig();
  } catch (error) {
    throw pulumiFailureToCliError(error, context);
  }
}

/**
 * The stack's outputs. The SDK's `stack.outputs()` always fetches the plaintext too, so without
 * `showSecrets` the CLI is asked for the masked outputs alone: a secret nobody asked for never
 * leaves the state.
 */
export async function readStackOutputs({ stack, context }: OpenStack, { showSecrets }: { showSecrets: boolean }): Promise<OutputMap> {
  try {
    if (showSecrets) return await stack.outputs();
    const masked = JSON.parse(await runStackCommand(stack, ["stack", "output", "--json"])) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(masked).map(([name, value]) => [name, { value, secret: value === "[secret]" }]));
  } catch (error) {
    throw pulumiFailureToCliError(error, context);
  }
}

/**
 * Why a stack has no outputs: `teardown --keep-state` deleted its resources and kept its state, or its
 * first update never completed. The last entry of its history tells.
 */
export async function emptyStackReason({ stack, context }: OpenStack): Promise<"resources-deleted" | "never-completed"> {
  try {
    // Without --show-secrets: only the kind and result are read.
    const [last] = await stack.history(1, 1, false);
    return last?.kind === "destroy" && last.result === "succeeded" ? "resources-deleted" : "never-completed";
  } catch (error) {
    throw pulumiFailureToCliError(error, context);
  }
}

/** A stack without outputs, for a command that needs them: what happened to it, and what to run. */
export function emptyStackError(name: string, ref: StackRef, reason: "resources-deleted" | "never-completed"): UsageError {
  const setup = `census-pinpoint setup --region ${ref.region} --project-id ${ref.projectId}`;
  return reason === "resources-deleted"
    ? new UsageError(
        `Stack ${name}: resources deleted, state kept. Its resources were deleted (teardown --keep-state) and only its history is left.`,
        `\`${setup}\` creates them again (with a new access key for Census); \`census-pinpoint teardown --stack ${name}\` removes the stack too.`,
      )
    : new UsageError(`Stack ${name} has no outputs yet: its first update never completed.`, `Finish it with \`${setup}\` (it resumes where it stopped).`);
}

/** Census's values from an existing stack; the secret key is masked (and never read) unless `showSecrets`. */
export async function readStackValues(
  target: PulumiTarget & StackRef,
  options: { showSecrets: boolean; pulumiCommand?: PulumiCommand; onProgress?: ProgressReporter },
): Promise<CensusValues> {
  const opened = await openStack(target, target, { create: false, onProgress: options.onProgress ?? silentProgress, pulumiCommand: options.pulumiCommand });
  const outputs = await readStackOutputs(opened, options);
  if (outputs.accessKeyId === undefined) throw emptyStackError(opened.stack.name, target, await emptyStackReason(opened));
  return censusValuesFrom(outputs, opened.stack.name, { showSecrets: options.showSecrets });
}
