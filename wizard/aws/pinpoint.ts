/**
 * Amazon Pinpoint look-ups for the wizard: which projects exist, and whether a given one does.
 * AWS ended support for Pinpoint's engagement features on 30 October 2026, so these calls may be
 * refused in ways nobody has seen yet. A failing call comes back as a one-line reason and its cause,
 * for the caller to decide: the project listing lets the user type the ID, setup stops unless the
 * user accepts, list only marks the stack. Only credential problems throw, because then no other AWS
 * call can work either.
 */
import { GetAppCommand, GetAppsCommand, PinpointClient } from "@aws-sdk/client-pinpoint";
import type { AwsTarget } from "./target.js";
import { type AwsFailure, classifyAwsError, awsFailureToCliError } from "./awsErrors.js";
import { awsClientConfig, configuredEndpoint, describeEndpoint } from "./clients.js";
import { once, type Retry } from "./retry.js";

export interface PinpointProject {
  id: string;
  name: string;
}

export type PinpointProjectListing = { ok: true; projects: PinpointProject[] } | { ok: false; reason: string };

/** Why Pinpoint gave no answer about a project: the caller words each differently. */
export type UnavailableCause = "end-of-support" | "access-denied" | "unreachable" | "failed";

export type PinpointProjectLookup =
  | { status: "found"; name: string }
  | { status: "not-found" }
  | { status: "unavailable"; cause: UnavailableCause; reason: string };

export const END_OF_SUPPORT = "AWS ended support for Amazon Pinpoint's engagement features on 30 October 2026";

// What a retirement notice would plausibly say. Nobody knows the exact wording or code AWS uses for
// refused Pinpoint calls, so this is a guess; a miss only makes the reason less specific.
const END_OF_SUPPORT_WORDING = /end[- ]of[- ](?:support|life)|no longer (?:supported|available)|discontinued|deprecated|retired|not available to new customers/i;

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim().replace(/\.+$/, "");
}

const REFUSED_FOR_END_OF_SUPPORT = `apparently because ${END_OF_SUPPORT}`;

/** Whether a lookup was refused, by the look of it, because Pinpoint reached its end of support (not for access or the network). */
export function refusedForEndOfSupport(lookup: PinpointProjectLookup): boolean {
  return lookup.status === "unavailable" && lookup.cause === "end-of-support";
}

/** Whether a failed Pinpoint call looks like AWS refusing it because the service reached its end of support. */
export function isEndOfSupportRefusal(failure: AwsFailure): boolean {
  return END_OF_SUPPORT_WORDING.test(oneLine(failure.detail)) || (failure.kind === "other" && failure.status === 410);
}

/** Throws for credential problems; otherwise says in one line why Pinpoint did not answer, and the cause. */
function unavailable(error: unknown, target: AwsTarget, operation: "GetApps" | "GetApp"): { cause: UnavailableCause; reason: string } {
  const permission = `mobiletargeting:${operation}`;
  const failure = classifyAwsError(error, target);
  const detail = oneLine(failure.detail);
  if (failure.kind === "no-credentials" || failure.kind === "rejected-credentials") {
    throw awsFailureToCliError(error, { target, service: "Pinpoint", operation, permission });
  }
  if (isEndOfSupportRefusal(failure)) {
    return { cause: "end-of-support", reason: `Amazon Pinpoint refused ${operation}, ${REFUSED_FOR_END_OF_SUPPORT} (${detail})` };
  }
  switch (failure.kind) {
    case "access-denied":
      return { cause: "access-denied", reason: `access denied: ${failure.principal ?? "these credentials"} may not perform ${failure.action ?? permission} (${detail})` };
    case "network": {
      // A host name that no longer resolves is what a retired regional endpoint would look like.
      const retired = failure.code === "ENOTFOUND" && !configuredEndpoint("Pinpoint", target.env) ? `; the endpoint may be gone since ${END_OF_SUPPORT}` : "";
      return { cause: "unreachable", reason: `could not reach ${describeEndpoint("Pinpoint", target)}: ${detail}${retired}` };
    }
    case "other": {
      const tags = [failure.code, failure.status === undefined ? undefined : `HTTP ${failure.status}`].filter(Boolean).join(", ");
      return { cause: "failed", reason: `Amazon Pinpoint ${operation} failed: ${detail}${tags ? ` (${tags})` : ""}; ${END_OF_SUPPORT}, which may be the cause` };
    }
  }
}

/** Every project (application) in the target's region, following GetApps' pages. */
export async function listPinpointProjects(target: AwsTarget): Promise<PinpointProjectListing> {
  const client = new PinpointClient(awsClientConfig(target, "Pinpoint"));
  try {
    const projects: PinpointProject[] = [];
    const seenTokens = new Set<string>();
    let token: string | undefined;
    do {
      const { ApplicationsResponse } = await client.send(new GetAppsCommand({ Token: token }));
      for (const app of ApplicationsResponse?.Item ?? []) {
        if (app.Id) projects.push({ id: app.Id, name: app.Name ?? "" });
      }
      token = ApplicationsResponse?.NextToken || undefined;
      // A service that hands out the same token twice would otherwise page forever.
      if (token && seenTokens.has(token)) break;
      if (token) seenTokens.add(token);
    } while (token);
    return { ok: true, projects };
  } catch (error) {
    return { ok: false, reason: unavailable(error, target, "GetApps").reason };
  } finally {
    client.destroy();
  }
}

/** GetApp: the project's name ("" when it has none), or undefined when there is no such project; rejects with what the SDK threw. */
async function getApp(client: PinpointClient, projectId: string, retry: Retry = once): Promise<string | undefined> {
  try {
    const { ApplicationResponse } = await retry(() => client.send(new GetAppCommand({ ApplicationId: projectId })));
    return ApplicationResponse?.Name ?? "";
  } catch (error) {
    if ((error as { name?: unknown }).name === "NotFoundException") return undefined;
    throw error;
  }
}

async function lookUp(client: PinpointClient, target: AwsTarget, projectId: string): Promise<PinpointProjectLookup> {
  try {
    const name = await getApp(client, projectId);
    return name === undefined ? { status: "not-found" } : { status: "found", name };
  } catch (error) {
    return { status: "unavailable", ...unavailable(error, target, "GetApp") };
  }
}

/**
 * The name of project `projectId` ("" when it has none), or undefined when there is no such project;
 * any other answer throws the CLI's AWS errors, for the caller to word (classifyAwsError,
 * isEndOfSupportRefusal). `retry` runs the request, again as the caller sees fit.
 */
export async function pinpointProjectName(target: AwsTarget, projectId: string, retry: Retry = once): Promise<string | undefined> {
  const client = new PinpointClient(awsClientConfig(target, "Pinpoint"));
  try {
    return await getApp(client, projectId, retry);
  } catch (error) {
    throw awsFailureToCliError(error, { target, service: "Pinpoint", operation: "GetApp", permission: "mobiletargeting:GetApp" });
  } finally {
    client.destroy();
  }
}

/** Whether project `projectId` exists in the target's region, and its name. */
export async function findPinpointProject(target: AwsTarget, projectId: string): Promise<PinpointProjectLookup> {
  const client = new PinpointClient(awsClientConfig(target, "Pinpoint"));
  try {
    return await lookUp(client, target, projectId);
  } finally {
    client.destroy();
  }
}

/**
 * Several projects of the target's region at once, through one client (so one credential lookup and
 * one connection pool): `list` asks about every stack without taking longer for many. Rejects, as
 * findPinpointProject does, only for credential problems.
 */
export async function findPinpointProjects(target: AwsTarget, projectIds: readonly string[]): Promise<Map<string, PinpointProjectLookup>> {
  const client = new PinpointClient(awsClientConfig(target, "Pinpoint"));
  try {
    const unique = [...new Set(projectIds)];
    const lookups = await Promise.all(unique.map((projectId) => lookUp(client, target, projectId)));
    return new Map(unique.map((projectId, index) => [projectId, lookups[index]!]));
  } finally {
    client.destroy();
  }
}
