/**
 * The one place that turns what the Automation API throws into the CLI's typed errors: a message that
 * says what happened and a hint with the next step. Detection goes by error name and CLI text, not
 * `instanceof`, so this module never loads the Automation API itself.
 */
import { parseDenial, type Denial } from "../aws/awsErrors.js";
import { AwsCredentialsError, CliError, InterruptedError, MissingPulumiCliError, MissingStackError, PulumiError, UsageError, type StopSignal } from "../errors.js";
import { redactSecrets } from "../redact.js";
import { isServiceBackend, localPath, lockDirectory } from "./backend.js";
import type { ResourceFailure } from "./events.js";
import { missingPassphraseError } from "./passphrase.js";
import { INSTALL_HINT, MINIMUM_PULUMI_VERSION } from "./requirements.js";
import { meaningfulLines } from "./text.js";

export interface FailureContext {
  stackName?: string;
  backendUrl?: string;
  workDir?: string;
  /** Where this run's passphrase came from (never the passphrase). */
  passphraseSource?: string;
  /** There is no passphrase: this generated file, which would hold it, does not exist. */
  missingPassphraseFile?: string;
  /** Set during an update: the command that resumes it, quoted in the hint. */
  resumeCommand?: string;
  /** Resource operations the engine reported failed. */
  failures?: readonly ResourceFailure[];
  /** The caller's AbortSignal fired on this signal: whatever the CLI said, the run was stopped. */
  interruptedBy?: StopSignal;
}

/**
 * A CommandError keeps the CLI's result in a field its typings hide. For a command that failed, the
 * SDK puts execa's message there: the command line, then the CLI's stderr and stdout. A provider
 * error in it may quote the access key's secret, so the text is redacted before any message uses it.
 * test/wizard/pulumi/sdkPrivateMembers.test.ts fails if an @pulumi/pulumi upgrade removes the field.
 */
function commandText(error: unknown): { name: string; text: string } | undefined {
  if (!(error instanceof Error)) return undefined;
  const result = (error as { commandResult?: { stdout?: unknown; stderr?: unknown } }).commandResult;
  if (typeof result?.stderr !== "string") return undefined;
  return { name: error.name, text: redactSecrets(`${result.stderr}\n${typeof result.stdout === "string" ? result.stdout : ""}`) };
}

/** The CLI binary could not be started at all (as opposed to a command that ran and failed). */
export function isMissingCli(error: unknown): boolean {
  const failure = commandText(error);
  return failure !== undefined && /Command failed with ENOENT|spawn \S+ ENOENT/.test(failure.text);
}

function missingCliError(): MissingPulumiCliError {
  return new MissingPulumiCliError(
    "The Pulumi CLI was not found. census-pinpoint provisions through it.",
    `${INSTALL_HINT} (version ${MINIMUM_PULUMI_VERSION} or newer), then run this command again.`,
  );
}

const LOCKED = /the stack is currently locked by|Another update is currently in progress/;
const WRONG_PASSPHRASE = /incorrect passphrase/i;
const NO_PASSPHRASE = /passphrase must be set|PULUMI_CONFIG_PASSPHRASE/;
/** Failures that only the backend produces: logging in, reading its metadata, its access token. */
const BACKEND_FAILURE = /problem logging in|PULUMI_ACCESS_TOKEN must be set|blob \(key "?\.pulumi|could not (query|reach|connect to) (the )?backend/i;
const NETWORK_FAILURE = /no such host|connection refused|i\/o timeout|TLS handshake timeout|network is unreachable/i;

function stackLabel(context: FailureContext): string {
  return context.stackName ? `stack ${context.stackName}` : "the stack";
}

function lockedError(text: string, context: FailureContext): PulumiError {
  const label = stackLabel(context);
  const message = `${label[0]!.toUpperCase()}${label.slice(1)} is locked: another update is running, or one that was killed left its lock behind.`;
  const backend = context.backendUrl ?? "";
  const rerun = context.resumeCommand ? ` then re-run \`${context.resumeCommand}\`` : " then run this command again";
  if (isServiceBackend(backend)) {
    const cli = `pulumi${context.workDir ? ` -C ${context.workDir}` : ""}`;
    return new PulumiError(
      message,
      `Check the stack's activity in the Pulumi Cloud console (or \`${cli} stack history --stack ${context.stackName}\`). ` +
        `Only if no update is really running, cancel the stuck one with \`${cli} cancel --stack ${context.stackName} --yes\`,${rerun}.`,
    );
  }
  // The CLI names each lock file with who holds it, and with the backend URL's query appended
  // ("file:///s/.pulumi/locks/…/id.json?no_tmp_dir=true: created by user@host (pid 123) at …").
  const lockLines = text
    .split(/\r?\n/)
    .filter((line) => /\.pulumi\/locks\/\S+\.json/.test(line))
    .map((line) => `  ${localPath(line.trim().replace(/\.json\?[^:\s]*/, ".json"))}`);
  const where = lockLines.length > 0 ? [...new Set(lockLines)].join("\n") : `  ${lockDirectory(backend, context.stackName ?? "")}`;
  return new PulumiError(
    message,
    "First make sure no census-pinpoint or pulumi process is still working on it (e.g. `ps aux | grep -i pulumi`); if one is, let it finish.\n" +
      `If none is, the lock is stale: clear it with \`pulumi${context.workDir ? ` -C ${context.workDir}` : ""} cancel --stack ${context.stackName} --yes\` ` +
      `(or delete the lock file),${rerun}. census-pinpoint never removes a lock itself. The lock file:\n${where}\n` +
      "Never delete a lock while an update runs: two updates at once can corrupt the stack's state.",
  );
}

function passphraseError(text: string, context: FailureContext): UsageError {
  if (!WRONG_PASSPHRASE.test(text) && context.missingPassphraseFile) return missingPassphraseError(context.stackName ?? "", context.missingPassphraseFile);
  const used = context.passphraseSource ? ` This run used ${context.passphraseSource}.` : "";
  const how = "Set PULUMI_CONFIG_PASSPHRASE, or PULUMI_CONFIG_PASSPHRASE_FILE (a file only you can read), to the passphrase the stack was created with.";
  return WRONG_PASSPHRASE.test(text)
    ? new UsageError(`The passphrase does not unlock the secrets of ${stackLabel(context)}.`, `${how}${used}`)
    : new UsageError(`Pulumi needs the passphrase that encrypts the secrets of ${stackLabel(context)}.`, `${how}${used}`);
}

function backendHost(url: string | undefined): string | undefined {
  const match = url && /^[a-z0-9+]+:\/\/([^/?]+)/i.exec(url);
  return match ? match[1] : undefined;
}

function isBackendUnreachable(text: string, context: FailureContext): boolean {
  if (BACKEND_FAILURE.test(text)) return true;
  // A network error during an update may be AWS's; it is the backend's only if it names the backend.
  const host = backendHost(context.backendUrl);
  return host !== undefined && NETWORK_FAILURE.test(text) && text.includes(host);
}

function describeFailure(failure: ResourceFailure, denial: Denial | undefined): string {
  const what = `Could not ${failure.op} ${failure.name} (${failure.type})`;
  if (!denial) return `${what}${failure.error ? `: ${failure.error}` : "."}`;
  return `${what}: AWS denied ${denial.action} to ${denial.principal}${denial.resource ? ` on ${denial.resource}` : ""}${denial.why ? ` (${denial.why.replace(/\.+$/, "")})` : ""}.`;
}

/**
 * A provider error IAM refused is a permissions problem (exit 3, as for the CLI's own AWS calls): the
 * message names the permission and the principal, the hint how to get it and that re-running resumes.
 */
function updateFailedError(text: string, context: FailureContext): PulumiError | AwsCredentialsError {
  const failures = (context.failures ?? []).map((failure) => ({ failure, denial: failure.error ? parseDenial(failure.error) : undefined }));
  const resume = context.resumeCommand ? ` Re-running \`${context.resumeCommand}\` resumes where it stopped.` : "";
  const message =
    failures.length > 0
      ? failures.map(({ failure, denial }) => describeFailure(failure, denial)).join("\n")
      : `Pulumi failed on ${stackLabel(context)}: ${meaningfulLines(text).join("\n") || "no error text"}`;
  const denials = failures.flatMap(({ denial }) => (denial ? [denial] : []));
  if (denials.length > 0) {
    const actions = [...new Set(denials.map((denial) => denial.action))].join(", ");
    const principals = [...new Set(denials.map((denial) => denial.principal))].join(", ");
    return new AwsCredentialsError(
      message,
      `Ask an AWS administrator to allow ${actions} for ${principals} (docs/permissions.md lists every permission setup needs), ` +
        `or use credentials that have it (--profile <name> or AWS_PROFILE).${resume}`,
    );
  }
  const taken = failures.flatMap(({ failure }) => (NAME_TAKEN.test(failure.error ?? "") ? [nameFlag(failure)] : []));
  if (taken.length > 0) {
    // The same name stays taken: a re-run fails the same way, so no "re-running resumes" here.
    return new PulumiError(
      message,
      `A name the stack wants is taken by something outside it: pick another with ${[...new Set(taken)].join(" or ")}. census-pinpoint never takes over what its stack did not create.`,
    );
  }
  return new PulumiError(message, resume ? `Fix the cause above.${resume}` : undefined);
}

/** A KMS (or other key service) provider that cannot encrypt or decrypt: Pulumi wraps the key service's answer so. */
const SECRETS_MANAGER = /(could not create|getting|constructing) secrets manager|secrets \(code=\w+\)/i;

function secretsManagerError(text: string, context: FailureContext): AwsCredentialsError {
  const cause = /(?:api error |Exception: )([^\n]+)/.exec(text)?.[1]?.trim() ?? meaningfulLines(text, 1)[0] ?? "no answer";
  return new AwsCredentialsError(
    `The secrets provider of ${stackLabel(context)} cannot be used: ${cause}`,
    "Check the key in --secrets-provider (ID, ARN or alias/<name>, and its region) and that your AWS identity may use it " +
      "(kms:Encrypt, kms:Decrypt, kms:GenerateDataKey); `aws kms describe-key --key-id <key>` shows whether it is there.",
  );
}

const NAME_TAKEN = /EntityAlreadyExists|BucketAlreadyExists|BucketAlreadyOwnedByYou/;

/** The setup flag that names a resource (a group's and a policy's names follow the user's and the role's). */
function nameFlag(failure: ResourceFailure): string {
  if (failure.type === "aws:s3/bucket:Bucket") return "--bucket-name <name>";
  if (failure.type === "aws:iam/role:Role" || /importer/.test(failure.name)) return "--importer-role-name <name>";
  return "--census-user-name <name>";
}

export function interruptedError(context: FailureContext): InterruptedError {
  const signal = context.interruptedBy ?? "SIGINT";
  const by = signal === "SIGINT" ? "" : ` by ${signal}`;
  return new InterruptedError(
    `The update of ${stackLabel(context)} was interrupted${by}; resources it was changing may be half-done.`,
    context.resumeCommand ? `Run \`${context.resumeCommand}\` to resume where it stopped.` : "Run the same command again to resume where it stopped.",
    signal,
  );
}

/** Returns the typed error to throw for `error`; errors that are not Pulumi's come back unchanged. */
export function pulumiFailureToCliError(error: unknown, context: FailureContext = {}): unknown {
  if (error instanceof CliError) return error;
  if (context.interruptedBy) return interruptedError(context);
  const failure = commandText(error);
  if (!failure) return error;
  const { name, text } = failure;
  if (isMissingCli(error)) return missingCliError();
  if (name === "ConcurrentUpdateError" || LOCKED.test(text)) return lockedError(text, context);
  if (name === "StackNotFoundError") {
    return new MissingStackError(
      `There is no ${stackLabel(context)} in the backend ${context.backendUrl ?? "in use"}.`,
      "Run `census-pinpoint setup` for this region and project ID first, or pass the --backend-url it used.",
    );
  }
  if (WRONG_PASSPHRASE.test(text) || NO_PASSPHRASE.test(text)) return passphraseError(text, context);
  if (SECRETS_MANAGER.test(text)) return secretsManagerError(text, context);
  if (isBackendUnreachable(text, context)) {
    return new PulumiError(
      `Cannot use the Pulumi backend ${context.backendUrl ?? ""}: ${meaningfulLines(text, 1)[0] ?? "no answer"}`,
      "Check the URL (--backend-url or PULUMI_BACKEND_URL), the network, and the backend's credentials " +
        "(AWS credentials for s3://, PULUMI_ACCESS_TOKEN or `pulumi login` for Pulumi Cloud).",
    );
  }
  return updateFailedError(text, context);
}
