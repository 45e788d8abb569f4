/**
 * Turns what the AWS SDK throws into the CLI's typed errors (exit 3), with a message that says what
 * failed and a hint that says what to do. Messages never carry a secret: the caller's secret key and
 * session token are cut out of anything AWS or the SDK wrote, and so is anything shaped like a secret
 * access key.
 */
import { AwsCredentialsError, AwsRequestError, CliError } from "../errors.js";
import { redactSecrets } from "../redact.js";
import type { AwsTarget } from "./target.js";
import { AWS_CALL_LIMITS, describeEndpoint, type AwsService } from "./clients.js";
import type { AwsProfileFiles, MissingProfile } from "./configuredRegion.js";

export interface AwsCallContext {
  target: AwsTarget;
  service: AwsService;
  /** The API operation, e.g. "HeadBucket". */
  operation: string;
  /** The IAM action the operation needs; named when AWS's refusal does not say (S3 never does on HEAD). */
  permission: string;
}

/** What kind of failure an SDK error is; `detail` is already redacted. */
export type AwsFailure =
  /** The SDK found no usable credentials (none configured, unknown profile, expired SSO session). */
  | { kind: "no-credentials"; detail: string }
  /** AWS refused the credentials themselves: expired, deleted, mistyped. */
  | { kind: "rejected-credentials"; code: string; detail: string }
  | { kind: "access-denied"; action?: string; principal?: string; resource?: string; why?: string; detail: string }
  /** No HTTP answer: timeout, refused connection, unknown host, TLS failure. */
  | { kind: "network"; code?: string; detail: string }
  | { kind: "other"; code?: string; status?: number; detail: string };

const PROVIDER_ERRORS = new Set(["CredentialsProviderError", "TokenProviderError", "ProviderError"]);

const REJECTED_CREDENTIAL_CODES = new Set([
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidClientTokenId",
  "InvalidAccessKeyId",
  "InvalidToken",
  "SignatureDoesNotMatch",
  "UnrecognizedClientException",
  "TokenRefreshRequired",
]);

const ACCESS_DENIED_CODES = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "UnauthorizedOperation",
  "AuthorizationError",
  "Forbidden",
  "ForbiddenException",
]);

export interface Denial {
  principal: string;
  action: string;
  resource?: string;
  why?: string;
}

// IAM's refusal: "User: <arn> is not authorized to perform: <action> [on resource: <arn>] [because … |
// with an explicit deny in …]". The SDK's message is exactly that; the Pulumi AWS provider quotes it
// inside its own text, where the resource may be quoted or prefixed with its kind ("policy arn:...")
// and ": provider=aws@7.x" may follow.
const NOT_AUTHORIZED =
  /User: (\S+) is not authorized to perform: ([\w-]+:\w+)(?: on resource: (?:[a-z]+ )?"?([^\s"]+?)"?)?(?: ((?:because|with an explicit deny)\b[^\n]*?))?\.?(?=: provider=|\r?\n|$)/;

/** IAM's refusal in an AWS error message or in a provider error that quotes it. */
export function parseDenial(text: string): Denial | undefined {
  const match = NOT_AUTHORIZED.exec(text.trim());
  return match ? { principal: match[1]!, action: match[2]!, resource: match[3], why: match[4] } : undefined;
}

function redact(text: string, target?: AwsTarget): string {
  return redactSecrets(text, [target?.credentials?.secretAccessKey, target?.credentials?.sessionToken]);
}

type SdkError = {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  hostname?: unknown;
  address?: unknown;
  port?: unknown;
  $metadata?: { httpStatusCode?: number; attempts?: number };
};

function errorCode(error: SdkError): string | undefined {
  for (const value of [error.Code, error.name]) {
    if (typeof value === "string" && value !== "" && value !== "Error") return value;
  }
  return undefined;
}

function peer(error: SdkError): string {
  if (typeof error.hostname === "string") return ` (${error.hostname})`;
  if (typeof error.address === "string") return ` (${error.address}${typeof error.port === "number" ? `:${error.port}` : ""})`;
  return "";
}

function networkDetail(error: SdkError, code: string | undefined): string {
  const attempts = error.$metadata?.attempts;
  const tries = attempts !== undefined && attempts > 1 ? ` (tried ${attempts} times)` : "";
  if (error.name === "TimeoutError") {
    return typeof error.message === "string" && error.message.includes("establish a connection")
      ? `no connection within ${AWS_CALL_LIMITS.connectionTimeoutMs / 1000} s${tries}`
      : `no answer within ${AWS_CALL_LIMITS.requestTimeoutMs / 1000} s${tries}`;
  }
  const at = peer(error);
  switch (code) {
    case "ECONNREFUSED":
      return `connection refused${at}${tries}`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `host name not found${at}`;
    case "ECONNRESET":
    case "EPIPE":
      return `connection reset${at}${tries}`;
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `network unreachable${at}`;
  }
  if (code && /CERT|SSL|TLS/.test(code)) {
    return `TLS certificate problem (${code}); behind a TLS-inspecting proxy, point NODE_EXTRA_CA_CERTS at its CA certificate`;
  }
  return `${code ?? "network error"}${at}`;
}

// The SDK's retry layer replaces anything that is not an Error of its own JavaScript realm with
// "AWS SDK error wrapper for <text>"; Node's socket errors land there when the SDK runs in a
// separate realm (a vm context, as under jest), and the text is all that is left of their code.
function wrappedSystemCode(message: string): string | undefined {
  return message.startsWith("AWS SDK error wrapper for") ? /\b(E[A-Z]{3,}|ERR_[A-Z_]+)\b/.exec(message)?.[1] : undefined;
}

// What AWS said behind each typed error made here: callers that word a failure their own way (verify's
// checks, doctor's) classify the typed error as they would the SDK's.
const FAILURES = new WeakMap<CliError, AwsFailure>();

function remembered<T extends CliError>(error: T, failure: AwsFailure): T {
  FAILURES.set(error, failure);
  return error;
}

/** Classifies what the SDK threw, or a typed error of awsFailureToCliError or missingProfileError by what it was made from. */
export function classifyAwsError(error: unknown, target?: AwsTarget): AwsFailure {
  const known = error instanceof CliError ? FAILURES.get(error) : undefined;
  if (known) return known;
  const e: SdkError = typeof error === "object" && error !== null ? (error as SdkError) : { message: String(error) };
  const message = redact(typeof e.message === "string" ? e.message : String(error), target);
  const name = typeof e.name === "string" ? e.name : undefined;
  const code = errorCode(e);
  const status = e.$metadata?.httpStatusCode;
  // "UnknownError" is the SDK's stand-in for the message of an error response without a body.
  const bodyless = message === "" || message === "UnknownError";

  if ((name && PROVIDER_ERRORS.has(name)) || message.includes("Could not load credentials")) {
    // A credential_process's failure is its command line, then what it wrote on stderr: one line, so
    // it fits a message's first line and a checklist's.
    return { kind: "no-credentials", detail: oneLine(message) };
  }
  if (code && REJECTED_CREDENTIAL_CODES.has(code)) return { kind: "rejected-credentials", code, detail: message };

  const denial = parseDenial(message);
  if (denial || (code && ACCESS_DENIED_CODES.has(code)) || status === 403) {
    return {
      kind: "access-denied",
      ...denial,
      // A 403 without a body (HEAD requests, or an answer the SDK could not parse) says nothing useful.
      detail: bodyless || message.includes("Deserialization error") ? "HTTP 403 without details" : message,
    };
  }

  const systemCode = typeof e.code === "string" ? e.code : wrappedSystemCode(message);
  if (status === undefined && (name === "TimeoutError" || systemCode !== undefined)) {
    return { kind: "network", code: systemCode, detail: networkDetail(e, systemCode) };
  }

  // The SDK reports a response it could not parse (an XML error page where JSON was due) with the
  // parser's own error; what the status says is more useful than that.
  if (message.includes("Deserialization error")) return { kind: "other", status, detail: "unreadable response" };
  return { kind: "other", code, status, detail: bodyless ? "no details in the response" : message };
}

/** IAM's answer for a user, role, group, policy or key that does not exist. */
export function isNoSuchEntity(error: unknown): boolean {
  const { name, Code } = (error ?? {}) as { name?: unknown; Code?: unknown };
  return name === "NoSuchEntityException" || Code === "NoSuchEntity";
}

function oneLine(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .join(": ");
}

/** AWS messages end with or without a period; ours put it in one place. */
function clause(text: string): string {
  return text.trim().replace(/\.+$/, "");
}

function credentialsOf(target: AwsTarget): string {
  if (target.credentials) return "the given access key";
  if (target.profile) return `the credentials of AWS profile "${target.profile}"`;
  return "the default AWS credentials";
}

function identityOf(target: AwsTarget): string {
  if (target.credentials) return "the given access key";
  if (target.profile) return `the identity of AWS profile "${target.profile}"`;
  return "the identity of the default AWS credentials";
}

/**
 * What is wrong with `profile`, said after its name: it does not exist, or a source_profile it needs
 * does not. Names both files, so a profile kept in a third file is seen to be looked for elsewhere.
 */
export function missingProfileProblem(files: AwsProfileFiles, missing: MissingProfile): string {
  const where = `${files.configFile} or ${files.credentialsFile}`;
  if (missing.via.length === 0) return `does not exist in ${where}`;
  const through = missing.via.length > 1 ? ` (by way of ${missing.via.slice(1).map((name) => `"${name}"`).join(", ")})` : "";
  return `takes its credentials from source_profile "${missing.name}"${through}, which does not exist in ${where}`;
}

/** A profile that --profile, AWS_PROFILE or --key-profile named is not in the files, or a source_profile it needs is not. */
export class MissingProfileError extends AwsCredentialsError {
  constructor(
    readonly profile: string,
    /** What is wrong with it, said after its name. */
    readonly problem: string,
    hint: string,
  ) {
    super(`AWS profile "${profile}" ${problem}.`, hint);
  }
}

export function missingProfileError(files: AwsProfileFiles, profile: string, missing: MissingProfile): MissingProfileError {
  const hint = files.misspelledInConfig.has(missing.name)
    ? `${files.configFile} has a section [${missing.name}], which the AWS CLI and SDKs ignore: in the config file a profile's section is [profile ${missing.name}].`
    : `Check the profile name (--profile, --key-profile or AWS_PROFILE); \`aws configure list-profiles\` lists the profiles there are. AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE choose other files.`;
  const error = new MissingProfileError(profile, missingProfileProblem(files, missing), hint);
  // To the SDK a profile that is not there is credentials it could not load.
  return remembered(error, { kind: "no-credentials", detail: error.message });
}

const CHOOSE_CREDENTIALS_HINT =
  "Choose credentials with --profile <name> or AWS_PROFILE (or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY); for an IAM Identity Center (SSO) profile, sign in first with `aws sso login --profile <name>`.";

/** The one mapping from an SDK failure to the CLI's errors. A CliError passes through unchanged. */
export function awsFailureToCliError(error: unknown, context: AwsCallContext): CliError {
  if (error instanceof CliError) return error;
  const failure = classifyAwsError(error, context.target);
  return remembered(typedError(failure, context), failure);
}

/** An IAM call's failure, whose permission is always the operation's own (`iam:<operation>`). */
export function iamFailureToCliError(error: unknown, target: AwsTarget, operation: string): CliError {
  return awsFailureToCliError(error, { target, service: "IAM", operation, permission: `iam:${operation}` });
}

function typedError(failure: AwsFailure, context: AwsCallContext): CliError {
  const { target, service, operation } = context;
  switch (failure.kind) {
    case "no-credentials": {
      const forProfile = target.profile && !target.credentials ? ` for profile "${target.profile}"` : "";
      return new AwsCredentialsError(
        failure.detail.includes("Could not load credentials from any providers")
          ? `No AWS credentials found${forProfile}.`
          : `Could not load AWS credentials${forProfile}: ${clause(failure.detail)}.`,
        CHOOSE_CREDENTIALS_HINT,
      );
    }
    case "rejected-credentials":
      return new AwsCredentialsError(
        `AWS rejected ${credentialsOf(target)} on ${service} ${operation}: ${clause(failure.detail)} (${failure.code}).`,
        target.credentials
          ? "Check the access key ID and secret key: the key may be deleted, deactivated, mistyped or (for temporary credentials) expired."
          : `The credentials are expired or invalid. ${CHOOSE_CREDENTIALS_HINT}`,
      );
    case "access-denied": {
      const action = failure.action ?? context.permission;
      const principal = failure.principal ?? identityOf(target);
      const on = failure.resource ? ` on ${failure.resource}` : "";
      const why = failure.why ? ` (${failure.why})` : "";
      return new AwsCredentialsError(
        `AWS denied ${service} ${operation}: ${principal} is not allowed to perform ${action}${on}${why}.`,
        `Use credentials that are allowed ${action} (--profile <name> or AWS_PROFILE), or ask an AWS administrator to grant it.`,
      );
    }
    case "network":
      return new AwsRequestError(
        `Could not reach ${describeEndpoint(service, target)} for ${service} ${operation}: ${failure.detail}.`,
        "Check your network connection, proxy and firewall; if AWS_ENDPOINT_URL is set (for a local emulator, say), check that it points at a running endpoint.",
      );
    case "other": {
      const tags = [failure.code, failure.status === undefined ? undefined : `HTTP ${failure.status}`].filter(Boolean).join(", ");
      return new AwsRequestError(`${service} ${operation} failed: ${clause(failure.detail)}${tags ? ` (${tags})` : ""}.`);
    }
  }
}
