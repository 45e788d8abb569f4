/**
 * The configuration every AWS SDK client of the CLI is built with. The client classes themselves are
 * imported by each service module (identity.ts, bucket.ts, pinpoint.ts), so a command loads only the
 * SDK packages it uses.
 */
import { fromIni } from "@aws-sdk/credential-provider-ini";
import type { AwsTarget } from "./target.js";

export type AwsService = "STS" | "S3" | "IAM" | "Pinpoint";

/**
 * Without these an endpoint that accepts the connection and never answers (a proxy black hole, a
 * stopped emulator) hangs the CLI forever: the SDK sets no request timeout by default. Worst case for
 * one call: maxAttempts (AWS_MAX_ATTEMPTS overrides it) × requestTimeoutMs plus a little backoff,
 * about 15 seconds.
 */
export const AWS_CALL_LIMITS = {
  connectionTimeoutMs: 3_000,
  requestTimeoutMs: 5_000,
  maxAttempts: 3,
} as const;

export interface AwsClientConfig {
  region: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | ReturnType<typeof fromIni>;
  maxAttempts: number;
  requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: boolean };
  forcePathStyle?: boolean;
}

// The SDK's own names for the service-specific variables (AWS_ENDPOINT_URL_<SERVICE ID>).
const SERVICE_ENDPOINT_VARIABLES: Record<AwsService, string> = {
  STS: "AWS_ENDPOINT_URL_STS",
  S3: "AWS_ENDPOINT_URL_S3",
  IAM: "AWS_ENDPOINT_URL_IAM",
  Pinpoint: "AWS_ENDPOINT_URL_PINPOINT",
};

/**
 * The endpoint set through the environment, which the SDK picks up by itself. An `endpoint_url` in
 * the profile's config file is honoured by the SDK too but not seen here; it only matters for S3's
 * path-style addressing and for naming the endpoint in error messages.
 */
export function configuredEndpoint(service: AwsService, env: NodeJS.ProcessEnv): { url: string; variable: string } | undefined {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === "true") return undefined;
  for (const variable of [SERVICE_ENDPOINT_VARIABLES[service], "AWS_ENDPOINT_URL"]) {
    const url = env[variable];
    if (url) return { url, variable };
  }
  return undefined;
}

/**
 * AWS_MAX_ATTEMPTS, the SDK's own variable, when it holds a positive integer: the explicit setting
 * below would otherwise silently override a user's choice.
 */
function maxAttemptsFrom(env: NodeJS.ProcessEnv): number {
  const value = Number(env.AWS_MAX_ATTEMPTS);
  return Number.isInteger(value) && value > 0 ? value : AWS_CALL_LIMITS.maxAttempts;
}

export function awsClientConfig(target: AwsTarget, service: AwsService): AwsClientConfig {
  const config: AwsClientConfig = {
    region: target.region,
    maxAttempts: maxAttemptsFrom(target.env),
    requestHandler: {
      connectionTimeout: AWS_CALL_LIMITS.connectionTimeoutMs,
      requestTimeout: AWS_CALL_LIMITS.requestTimeoutMs,
      // Without it the handler only logs a warning (to the console) when requestTimeout passes.
      throwOnRequestTimeout: true,
    },
  };
  // Explicit credentials win over a profile. A named profile is read from the profile files alone, not
  // through the SDK's default chain: given a profile, the chain goes on to a web identity token or the
  // machine's role when the profile fails, then says only "Could not load credentials from any
  // providers", where the profile's own reason (a credential_process's error, a missing
  // source_profile) is what helps; and it warns on the terminal ("Multiple credential sources
  // detected") whenever a profile and AWS_ACCESS_KEY_ID are both set, though the profile settles it.
  if (target.credentials) config.credentials = { ...target.credentials };
  else if (target.profile) config.credentials = fromIni({ profile: target.profile });
  // Emulators such as moto serve every bucket from one host name; virtual-hosted addressing would
  // need DNS for <bucket>.<host>.
  if (service === "S3" && configuredEndpoint("S3", target.env)) config.forcePathStyle = true;
  return config;
}

/** Names where a request went, for messages: the configured endpoint, else the service and region. */
export function describeEndpoint(service: AwsService, target: AwsTarget): string {
  const endpoint = configuredEndpoint(service, target.env);
  return endpoint ? `${endpoint.url} (set by ${endpoint.variable})` : `the AWS ${service} endpoint in ${target.region}`;
}
