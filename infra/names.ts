import type { PinpointRegion } from "./regions.js";

/** Pulumi project name: Pulumi.yaml and the wizard's inline program must agree on it. */
export const PROJECT_NAME = "census-pinpoint";

/** Prefix of staged object keys written by `verify`'s probe. */
export const VERIFY_PROBE_PREFIX = "census-pinpoint-verify/";

export const MANAGED_BY_TAG = { "managed-by": "census-pinpoint" } as const;

export function resourceTags(projectId: string): Record<string, string> {
  return { ...MANAGED_BY_TAG, "pinpoint-project": projectId };
}

function shortProjectId(projectId: string): string {
  return projectId.slice(0, 8);
}

/**
 * One per Pinpoint project: two projects in one region and account each get their own (bucket names
 * are global). Stacks made when the default was `census-pinpoint-staging-<account>-<region>` keep that
 * name: a default applies when a bucket is created, never afterwards (see the component).
 */
export function defaultBucketName(accountId: string, region: PinpointRegion, projectId: string): string {
  return `census-pinpoint-staging-${shortProjectId(projectId)}-${accountId}-${region}`;
}

export function defaultImporterRoleName(projectId: string): string {
  return `CensusPinpointSegmentImporter-${shortProjectId(projectId)}`;
}

export function defaultCensusUserName(projectId: string): string {
  return `census-pinpoint-${shortProjectId(projectId)}`;
}

/** Deterministic, so a second setup with the same answers updates the same stack. */
export function stackName(region: string, projectId: string): string {
  return `${region}-${projectId}`;
}

export function importerPolicyName(roleName: string): string {
  return `${roleName}-s3-read`;
}

export function censusGroupName(userName: string): string {
  return `${userName}-group`;
}

export function censusPolicyName(userName: string): string {
  return `${userName}-access`;
}

/**
 * The Pulumi name of the access key of a generation. Generation 1 keeps the name the first key always
 * had, so stacks created before rotation existed keep their key.
 */
export function accessKeyResourceName(componentName: string, generation: number): string {
  return generation === 1 ? `${componentName}-census-key` : `${componentName}-census-key-${generation}`;
}

/**
 * The key generations that exist: the current one, and during a rotation the one before it (IAM allows
 * two keys per user, which is what makes a rotation without downtime possible).
 */
export function activeKeyGenerations(current: number, keepPrevious: boolean): number[] {
  return keepPrevious && current > 1 ? [current - 1, current] : [current];
}

/** The staging bucket's Pulumi resource name in a component named `componentName`: what `adopt` imports the hand-made bucket as. */
export function stagingBucketResourceName(componentName: string): string {
  return `${componentName}-staging`;
}
