/**
 * The Automation API driver: opens the stack `<region>-<projectId>` with the inline program in a
 * persistent work dir (so `pulumi -C <workDir> stack output` works on the same stack), writes its
 * config, runs the update and reads the outputs. Never prints: progress goes to `onProgress`,
 * failures are thrown as the CLI's typed errors.
 */
import { mkdir, readdir, rm } from "node:fs/promises";
import { MissingStackError, PulumiError } from "../errors.js";
import type { ConfigMap, OutputMap, PulumiCommand, Stack, UpdateSummary } from "@pulumi/pulumi/automation/index.js";
import { PROJECT_NAME, stackName as stackNameOf } from "../../infra/names.js";
import type { CensusValues } from "../censusValues.js";
import { homePaths } from "../home.js";
import { type ProgressReporter, silentProgress } from "../progress.js";
import type { AwsTarget, SetupInputs } from "../setupInputs.js";
import { loadAutomation } from "./automation.js";
import { resolveBackendUrl } from "./backend.js";
import { ensurePulumiCli } from "./cli.js";
import { engineOutput, trackEngineEvents } from "./events.js";
import { type FailureContext, interruptedError, toCliError } from "./failure.js";
import { adoptingProgram, resolveInterruptedCreates } from "./interruptedCreates.js";
import { censusValuesFrom } from "./outputs.js";
import { resolvePassphrase } from "./passphrase.js";
import { runStackCommand } from "./stackCommand.js";
import { stackConfigFor } from "./stackConfig.js";
import { readStackState } from "./stackState.js";

export { warmUp } from "./automation.js";

/** Where the state lives and as whom the AWS provider runs. */
export interface PulumiTarget {
  /** --backend-url; else PULUMI_BACKEND_URL; else the file backend under CENSUS_PINPOINT_HOME. */
  backendUrl?: string;
  /** AWS named profile for the provider (--profile / AWS_PROFILE). */
  profile?: string;
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

/** Runs in this process when the CLI asks for the program; imported then, so start-up stays light. */
async function program() {
  const { censusPinpointStack } = await import("../../infra/stack.js");
  return censusPinpointStack();
}

export interface OpenStack {
  stack: Stack;
  workDir: string;
  context: FailureContext;
  /** The stack's region and the AWS profile its provider runs as, for AWS SDK calls about it. */
  aws: AwsTarget;
}

/**
 * The stack `<region>-<projectId>` in its work dir, with backend, passphrase and CLI resolved. With
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
    const [automation, pulumiCommand, backendUrl, passphrase] = await Promise.all([
      loadAutomation(),
      ensurePulumiCli({ pulumiCommand: options.pulumiCommand, env }),
      resolveBackendUrl(target.backendUrl, env, home),
      resolvePassphrase(env, options.onProgress, { create: options.create }),
      ensureWorkDir(workDir, name),
    ]);
    Object.assign(context, { backendUrl, passphraseSource: passphrase.source });
    const args = { stackName: name, projectName: PROJECT_NAME, program };
    const workspaceOptions = {
      workDir,
      pulumiCommand,
      envVars: {
        ...passphrase.envVars,
        PULUMI_BACKEND_URL: backendUrl,
        // The update check costs a network round trip per command and only adds noise here.
        PULUMI_SKIP_UPDATE_CHECK: "true",
        ...(target.profile ? { AWS_PROFILE: target.profile } : {}),
      },
      projectSettings: { name: PROJECT_NAME, runtime: "nodejs" as const, backend: { url: backendUrl } },
      secretsProvider: "passphrase",
    };
    const stack = options.create
      ? await automation.LocalWorkspace.createOrSelectStack(args, workspaceOptions)
      : await automation.LocalWorkspace.selectStack(args, workspaceOptions);
    return { stack, workDir, context, aws: { region: ref.region, profile: target.profile } };
  } catch (error) {
    const typed = toCliError(error, context);
    if (typed instanceof MissingStackError) await removeUnusedWorkDir(workDir);
    throw typed;
  }
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
  const interrupted = () => options.signal?.aborted === true;
  const tracker = trackEngineEvents(options.onProgress);
  const output = engineOutput(options.onProgress, options.verbose);
  try {
    await stack.setAllConfig(config);
    const adoptions = await resolveInterruptedCreates(stack, aws, options.onProgress);
    if (interrupted()) throw interruptedError({ ...context, resumeCommand });
    const result = await stack.up({
      program: adoptingProgram(program, adoptions),
      onEvent: tracker.onEvent,
      onOutput: output.onOutput,
      onError: output.onError,
      signal: options.signal,
      color: "never",
      showSecrets: false,
    });
    return { outputs: result.outputs, changed: hasChanges(result.summary) };
  } catch (error) {
    throw toCliError(error, { ...context, resumeCommand, failures: tracker.failures, interrupted: interrupted() });
  } finally {
    output.flush();
  }
}

/** The stack's config as `pulumi config --json` has it. */
export async function readStackConfig({ stack, context }: OpenStack): Promise<ConfigMap> {
  try {
    return await stack.getAllConfig();
  } catch (error) {
    throw toCliError(error, context);
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
    throw toCliError(error, context);
  }
}

/**
 * The S3 buckets the stack's state holds, or that a run killed while creating them had started on:
 * either way they are the stack's own, before the stack has any outputs.
 */
export async function readStateBucketNames({ stack, context }: OpenStack): Promise<string[]> {
  try {
    const { resources, pendingCreates } = await readStackState(stack);
    return [...resources, ...pendingCreates]
      .filter((resource) => resource.type === "aws:s3/bucket:Bucket")
      .map((resource) => resource.outputs.bucket ?? resource.inputs.bucket)
      .filter((bucket): bucket is string => typeof bucket === "string");
  } catch (error) {
    throw toCliError(error, context);
  }
}

/** Census's values from an existing stack; the secret key is masked (and never read) unless `showSecrets`. */
export async function readStackValues(
  target: PulumiTarget & StackRef,
  options: { showSecrets: boolean; pulumiCommand?: PulumiCommand },
): Promise<CensusValues> {
  // Reading never generates a passphrase, so there is no progress to report.
  const opened = await openStack(target, target, { create: false, onProgress: silentProgress, pulumiCommand: options.pulumiCommand });
  return censusValuesFrom(await readStackOutputs(opened, options), opened.stack.name, { showSecrets: options.showSecrets });
}
