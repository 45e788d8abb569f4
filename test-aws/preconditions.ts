/**
 * Whether the real-account suite may run, and with what: the maintainer's explicit yes, a region and
 * a Pinpoint project (given, or allowed to be created), AWS credentials, the Pulumi CLI. Nothing here
 * calls AWS: credentials are only resolved, the way the CLI's own SDK clients would resolve them.
 */
import { STSClient } from "@aws-sdk/client-sts";
import { spawnSync } from "node:child_process";
import { isPinpointRegion, PINPOINT_REGION_NAMES, type PinpointRegion } from "../infra/regions.js";

export const ENV = {
  run: "CENSUS_PINPOINT_AWS_TEST",
  region: "CENSUS_PINPOINT_AWS_TEST_REGION",
  projectId: "CENSUS_PINPOINT_AWS_TEST_PROJECT_ID",
  createProject: "CENSUS_PINPOINT_AWS_TEST_CREATE_PROJECT",
} as const;

export interface SuiteSettings {
  region: PinpointRegion;
  /** An existing project the maintainer named; without it the suite creates one and deletes it after. */
  projectId?: string;
  profile?: string;
}

export type Preconditions = { run: true; settings: SuiteSettings } | { run: false; reasons: string[] };

const WHAT_IT_NEEDS = [
  `${ENV.run}=1 (it creates, changes and deletes real resources in the account: an S3 bucket, an IAM role, user, group and access keys)`,
  `${ENV.region}=<a Pinpoint region, e.g. us-east-1>`,
  `${ENV.projectId}=<an existing Pinpoint project ID in that region>, or ${ENV.createProject}=1 to create a throw-away project and delete it afterwards`,
  "AWS credentials of an administrator (AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or `aws sso login`)",
  "the Pulumi CLI on PATH",
];

/** What the environment asks for, without looking at credentials or the CLI. */
function settingsReasons(env: NodeJS.ProcessEnv): { settings?: SuiteSettings; reasons: string[] } {
  const reasons: string[] = [];
  const given = env[ENV.region]?.trim();
  const region = given && isPinpointRegion(given) ? given : undefined;
  if (!given) reasons.push(`${ENV.region} is not set: name the region of the Pinpoint project.`);
  else if (!region) reasons.push(`${ENV.region}=${given} is not a region where Amazon Pinpoint exists (${PINPOINT_REGION_NAMES.join(", ")}).`);
  const projectId = env[ENV.projectId]?.trim() || undefined;
  if (!projectId && env[ENV.createProject] !== "1") {
    reasons.push(`Neither ${ENV.projectId} (an existing project to use) nor ${ENV.createProject}=1 (create a throw-away project, which AWS may refuse since Pinpoint's end of support) is set.`);
  }
  return { settings: region && reasons.length === 0 ? { region, projectId, profile: env.AWS_PROFILE || undefined } : undefined, reasons };
}

async function credentialsReason(region: string): Promise<string | undefined> {
  const sts = new STSClient({ region });
  try {
    await sts.config.credentials();
    return undefined;
  } catch (error) {
    const why = (error as Error).message.split("\n")[0]!.replace(/\.+$/, "");
    return `No usable AWS credentials (${why}): set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or sign in with \`aws sso login\`.`;
  } finally {
    sts.destroy();
  }
}

function pulumiReason(): string | undefined {
  const version = spawnSync("pulumi", ["version"], { encoding: "utf8" });
  if (version.error) return `The Pulumi CLI is not on PATH (${(version.error as NodeJS.ErrnoException).code}): install it from https://www.pulumi.com/docs/install/.`;
  if (version.status !== 0) return `\`pulumi version\` failed: ${version.stderr.trim()}`;
  return undefined;
}

export async function checkPreconditions(env: NodeJS.ProcessEnv): Promise<Preconditions> {
  if (env[ENV.run] !== "1") {
    return { run: false, reasons: [`${ENV.run} is not 1: this suite runs only when asked. To run it, set:`, ...WHAT_IT_NEEDS.map((need) => `  - ${need}`)] };
  }
  const { settings, reasons } = settingsReasons(env);
  const noCredentials = await credentialsReason(settings?.region ?? "us-east-1");
  const noPulumi = pulumiReason();
  const all = [...reasons, ...[noCredentials, noPulumi].filter((reason): reason is string => reason !== undefined)];
  return settings && all.length === 0 ? { run: true, settings } : { run: false, reasons: all };
}
