/**
 * Opens the stack `<region>-<projectId>` with the inline program in its persistent work dir (so
 * `pulumi -C <workDir> stack output` works on the same stack): backend, secrets and CLI resolved, an
 * existing stack's settings restored. Never prints: progress goes to `onProgress`, failures are thrown
 * as the CLI's typed errors.
 */
import type { PulumiCommand, Stack } from "@pulumi/pulumi/automation/index.js";
import { PROJECT_NAME, stackName as stackNameOf } from "../../infra/names.js";
import type { AwsTarget } from "../aws/target.js";
import { MissingStackError } from "../errors.js";
import { homePaths } from "../home.js";
import type { ProgressReporter } from "../progress.js";
import { loadAutomation } from "./automation.js";
import { resolveBackendUrl } from "./backend.js";
import { type FailureContext, pulumiFailureToCliError } from "./failure.js";
import { generatePassphrase, missingPassphraseError, resolvePassphrase, type Passphrase } from "./passphrase.js";
import { stackProgram } from "./program.js";
import { ensurePulumiCli } from "./pulumiCli.js";
import { checkSecretsProvider, defaultSecretsProvider, usesPassphrase } from "./secretsProvider.js";
import { changeSecretsProvider, restoreStackSettings } from "./stackSettings.js";
import type { PulumiTarget, StackRef } from "./stackTarget.js";
import { removeTruncatedMetadata } from "./truncatedMetadata.js";
import { ensureWorkDir, removeUnusedWorkDir } from "./workDir.js";

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
      return { stack: selected.stack, workDir, context, aws: { region: ref.region, profile: target.profile, env } };
    }
    if (!options.create) throw selected.notFound;
    const provider = requested ?? defaultSecretsProvider(backendUrl);
    // Only a new passphrase stack gets a generated passphrase, and only when there is none.
    if (usesPassphrase(provider) && passphrase.missingFile !== undefined) {
      passphrase = await generatePassphrase(passphrase.missingFile, env, options.onProgress);
      Object.assign(context, { passphraseSource: passphrase.source, missingPassphraseFile: undefined });
    }
    const stack = await LocalWorkspace.createStack(args, workspaceOptions(passphrase, provider));
    return { stack, workDir, context, aws: { region: ref.region, profile: target.profile, env } };
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
