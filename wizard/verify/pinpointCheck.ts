/**
 * The Pinpoint side of Census's connection test: the key reads the project. Since AWS ended support
 * for Pinpoint's engagement features, a refusal may be the service's, not the key's, and is reported
 * as such.
 */
import { classifyAwsError } from "../aws/awsErrors.js";
import { END_OF_SUPPORT, isEndOfSupportRefusal, pinpointProjectName } from "../aws/pinpoint.js";
import type { AwsTarget } from "../aws/target.js";
import { keyProfileOf, type VerifyScope } from "./input.js";
import { propagationCause, type KeyFreshness } from "./propagation.js";
import { checkOf, type VerifyCheck } from "./report.js";
import { retryWhileTransient, type RetryBudget } from "./retry.js";

function label(scope: VerifyScope) {
  return checkOf("pinpoint-project", `The key can read Pinpoint project ${scope.input.projectId} in ${scope.input.region} (mobiletargeting:GetApp)`);
}

export function pinpointCheckSkipped(scope: VerifyScope, reason: string): VerifyCheck {
  return label(scope).skipped(reason);
}

export async function checkPinpointProject(scope: VerifyScope, key: AwsTarget, freshness: KeyFreshness, budget: RetryBudget): Promise<VerifyCheck> {
  const check = label(scope);
  const { projectId, region } = scope.input;
  let name: string | undefined;
  try {
    name = await pinpointProjectName(key, projectId, (request) => retryWhileTransient(budget, request, (error) => propagationCause(error, key, freshness)));
  } catch (error) {
    const failure = classifyAwsError(error, key);
    if (isEndOfSupportRefusal(failure)) {
      return check.failed(
        `Amazon Pinpoint refused GetApp, apparently because ${END_OF_SUPPORT} (${failure.detail}); the key is not the problem`,
        "Nothing in this setup can fix it: the Pinpoint APIs Census syncs through (segments, import jobs) are no longer served. See AWS's Amazon Pinpoint end-of-support notice for the alternatives.",
      );
    }
    if (failure.kind === "access-denied") {
      return check.failed(
        `Pinpoint refused ${failure.action ?? "mobiletargeting:GetApp"}: ${failure.detail}`,
        `Grant the Census user mobiletargeting:GetApp, with the other Pinpoint actions Census uses (docs/permissions.md), on ${scope.appArn} and ${scope.appArn}/*.`,
      );
    }
    return check.failed(
      `Pinpoint GetApp failed: ${failure.detail}; ${END_OF_SUPPORT}, which may be the cause`,
      "Run `census-pinpoint verify` again; if it keeps failing, check the AWS Health Dashboard for Amazon Pinpoint in this region.",
    );
  }
  if (name === undefined) {
    return check.failed(
      `There is no Pinpoint project ${projectId} in ${region} (account ${scope.accountId})`,
      `Check the project ID (Pinpoint console → All projects → Project ID) and the region it is in; ${
        keyProfileOf(scope) === undefined ? "run `census-pinpoint setup` with the right --project-id and --region" : "pass the right --project-id and --region"
      }, and give Census the same values.`,
    );
  }
  return check.passed(name ? `"${name}"` : undefined);
}
