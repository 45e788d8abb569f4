/**
 * The staging bucket as Census uses it, with the Census key: it must exist in the project's region,
 * and the key must write, read, list and delete objects there. The probe object it writes under
 * census-pinpoint-verify/ is deleted whatever happens after it was written.
 */
import { classifyAwsError } from "../aws/awsErrors.js";
import { locateBucket, type BucketLocation } from "../aws/bucketLocation.js";
import { bucketObjects, type BucketObjects } from "../aws/bucketObjects.js";
import type { Retry } from "../aws/retry.js";
import type { AwsTarget } from "../aws/target.js";
import { keyProfileOf, type VerifyScope } from "./input.js";
import { propagationCause, type KeyFreshness } from "./propagation.js";
import { checkOf, type VerifyCheck } from "./report.js";
import { retryWhileTransient, type RetryBudget } from "./retry.js";

const PROBE_BODY = "census-pinpoint,verify\nprobe,1\n";

function labels(scope: VerifyScope) {
  const bucket = scope.input.bucketName;
  return {
    region: checkOf("bucket-region", `The staging bucket ${bucket} exists in ${scope.input.region}`),
    put: checkOf("bucket-put", "The key can upload a file to the bucket (s3:PutObject)"),
    get: checkOf("bucket-get", "The key can read the file back (s3:GetObject)"),
    list: checkOf("bucket-list", "The key can list the bucket (s3:ListBucket)"),
    delete: checkOf("bucket-delete", "The key can delete the file (s3:DeleteObject)"),
  };
}

export function bucketChecksSkipped(scope: VerifyScope, reason: string): VerifyCheck[] {
  return Object.values(labels(scope)).map((check) => check.skipped(reason));
}

interface Attempt {
  scope: VerifyScope;
  key: AwsTarget;
  freshness: KeyFreshness;
  budget: RetryBudget;
}

function retrying(attempt: Attempt): Retry {
  return (request) => retryWhileTransient(attempt.budget, request, (error) => propagationCause(error, attempt.key, attempt.freshness));
}

type Location = BucketLocation | { status: "failed"; detail: string };

async function locate(attempt: Attempt): Promise<Location> {
  try {
    return await locateBucket(attempt.key, attempt.scope.input.bucketName, retrying(attempt));
  } catch (error) {
    return { status: "failed", detail: classifyAwsError(error, attempt.key).detail };
  }
}

function regionCheck(scope: VerifyScope, location: Location): VerifyCheck {
  const check = labels(scope).region;
  const { bucketName, region: expected } = scope.input;
  const profile = keyProfileOf(scope);
  switch (location.status) {
    case "elsewhere":
    case "visible":
      if (location.region === undefined && location.status === "elsewhere") {
        return check.failed(
          `The bucket is not in ${expected}: S3 redirected the request to another region without naming it`,
          `Pinpoint imports from a bucket in the project's region. Find the bucket's region in the S3 console; if the project itself is there, pass --region with it, else use a bucket in ${expected}.`,
        );
      }
      if (location.region === undefined) return check.passed("S3 did not name its region");
      if (location.region === expected) return check.passed(`s3://${bucketName} in ${expected}`);
      return check.failed(
        `The bucket is in ${location.region}, not in ${expected}, the Pinpoint project's region`,
        `Pinpoint imports from a bucket in the project's region. Use a bucket in ${expected} (${profile === undefined ? "`census-pinpoint setup` creates one" : "create one, or run `census-pinpoint setup`"}) and give its name to Census; if the project itself is in ${location.region}, pass --region ${location.region}.`,
      );
    case "missing":
      return check.failed(
        `There is no bucket ${bucketName}`,
        profile === undefined
          ? `Run \`census-pinpoint setup --region ${expected} --project-id ${scope.input.projectId}\` again: it recreates the bucket (then check that Census has its name).`
          : `Check the name passed with --bucket, or create the bucket in ${expected} (census-pinpoint setup does it for you).`,
      );
    case "refused":
      return check.failed(
        `S3 refused to tell the key about ${bucketName} (HTTP 403)${location.region ? `; it is in ${location.region}` : ""}`,
        `Grant the Census user s3:ListBucket and s3:GetBucketLocation on ${scope.bucketArn} (see docs/permissions.md); if it has them, the bucket belongs to another AWS account: use one of this account.`,
      );
    case "failed":
      return check.failed(`S3 HeadBucket failed: ${location.detail}`, "Run `census-pinpoint verify` again; if it keeps failing, run it with --verbose.");
  }
}

/** What a failed S3 call says, and what to grant. */
function s3Failure(error: unknown, key: AwsTarget, action: string, resource: string, kmsNote: boolean): { detail: string; fix: string } {
  const failure = classifyAwsError(error, key);
  if (failure.kind === "access-denied") {
    const kms = kmsNote ? " If the bucket encrypts with SSE-KMS, the user also needs kms:GenerateDataKey and kms:Decrypt on that key." : "";
    return {
      detail: `S3 refused ${action}: ${failure.detail}`,
      fix: `Grant the Census user ${action} on ${resource}, as the policy of \`census-pinpoint setup\` does (see docs/permissions.md).${kms}`,
    };
  }
  if (failure.kind === "network") {
    return { detail: `Could not reach S3: ${failure.detail}`, fix: "Check the network connection, proxy and firewall, then run `census-pinpoint verify` again." };
  }
  return { detail: `${action} failed: ${failure.detail}`, fix: "Run `census-pinpoint verify` again; if it keeps failing, run it with --verbose." };
}

/** Writes the probe, reads it back, lists it and deletes it; the delete runs even when a step between fails. */
async function probe(attempt: Attempt): Promise<VerifyCheck[]> {
  const { scope, key } = attempt;
  const check = labels(scope);
  const bucket = scope.input.bucketName;
  const probeKey = scope.probeKey;
  const objectArn = `${scope.bucketArn}/*`;
  const objects = bucketObjects(key, bucket, retrying(attempt));
  const checks: VerifyCheck[] = [];
  let stored = false;
  try {
    try {
      await objects.put(probeKey, PROBE_BODY, "text/csv");
      stored = true;
      checks.push(check.put.passed(`s3://${bucket}/${probeKey}`));
    } catch (error) {
      const { detail, fix } = s3Failure(error, key, "s3:PutObject", objectArn, true);
      checks.push(check.put.failed(detail, fix));
    }

    if (!stored) checks.push(check.get.skipped("nothing was uploaded"));
    else {
      try {
        const text = await objects.read(probeKey);
        checks.push(
          text === PROBE_BODY
            ? check.get.passed()
            : check.get.failed("S3 returned other content than was uploaded", "Look for what rewrites objects in this bucket (an S3 Object Lambda access point, a replication rule) and remove it."),
        );
      } catch (error) {
        const { detail, fix } = s3Failure(error, key, "s3:GetObject", objectArn, true);
        checks.push(check.get.failed(detail, fix));
      }
    }

    try {
      const listed = (await objects.keys(probeKey)).includes(probeKey);
      checks.push(
        !stored || listed
          ? check.list.passed()
          : check.list.failed("The listing did not show the file just uploaded", "Run `census-pinpoint verify` again; if it keeps happening, check the bucket's configuration."),
      );
    } catch (error) {
      const { detail, fix } = s3Failure(error, key, "s3:ListBucket", scope.bucketArn, false);
      checks.push(check.list.failed(detail, fix));
    }
  } finally {
    checks.push(await removeProbe(attempt, objects, stored));
    objects.close();
  }
  return checks;
}

async function removeProbe(attempt: Attempt, objects: BucketObjects, stored: boolean): Promise<VerifyCheck> {
  const { scope, key } = attempt;
  const check = labels(scope).delete;
  try {
    // Deleting a key that does not exist succeeds, so this also proves the permission when nothing was stored.
    await objects.remove(scope.probeKey);
    return check.passed();
  } catch (error) {
    const { detail, fix } = s3Failure(error, key, "s3:DeleteObject", `${scope.bucketArn}/*`, false);
    if (!stored) return check.failed(detail, fix);
    return check.failed(`${detail}; ${await removeAsAdmin(scope, key.region)}`, fix);
  }
}

/** The probe must not stay behind: the administrator's credentials get a try when the key's fail. */
async function removeAsAdmin(scope: VerifyScope, region: string): Promise<string> {
  const where = `s3://${scope.input.bucketName}/${scope.probeKey}`;
  const objects = bucketObjects({ ...scope.admin, region }, scope.input.bucketName);
  try {
    await objects.remove(scope.probeKey);
    return `the probe file ${where} was deleted with your own credentials instead`;
  } catch {
    return `the probe file ${where} is left behind: delete it by hand`;
  } finally {
    objects.close();
  }
}

export async function checkBucket(scope: VerifyScope, key: AwsTarget, freshness: KeyFreshness, budget: RetryBudget): Promise<VerifyCheck[]> {
  const attempt: Attempt = { scope, key, freshness, budget };
  const location = await locate(attempt);
  const region = regionCheck(scope, location);
  if (location.status === "missing") return [region, ...bucketChecksSkipped(scope, "there is no bucket").slice(1)];
  // In the wrong region the probe still runs, where the bucket is, to tell whether the key could use it.
  const where = location.status !== "failed" && location.region ? location.region : scope.input.region;
  return [region, ...(await probe({ ...attempt, key: { ...key, region: where } }))];
}
