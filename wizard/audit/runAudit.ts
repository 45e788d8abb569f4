/**
 * `audit`'s core: the four areas, read side by side (every call is a read), merged into one report
 * with the findings worst first and a one-line verdict. Never prints: progress goes through
 * options.onProgress.
 */
import { auditBucket } from "./bucketAudit.js";
import { auditCensusIdentity } from "./identityAudit.js";
import { auditPinpointProject } from "./projectAudit.js";
import { AREA_NAMES, SEVERITIES, type AreaResult, type AuditFinding, type AuditOptions, type AuditReport, type AuditSubject } from "./report.js";
import { auditImporterRole } from "./roleAudit.js";

function listed(words: readonly string[]): string {
  return words.length <= 1 ? words.join("") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

function verdictOf(areas: readonly AreaResult[], findings: readonly AuditFinding[]): string {
  const skipped = areas.filter((area) => area.skipped !== undefined).map((area) => AREA_NAMES[area.area]);
  const notAudited = skipped.length > 0 ? `not fully audited: ${listed(skipped)}` : "";
  if (findings.length === 0) {
    return notAudited ? `No findings in what could be read; ${notAudited}` : `No findings: ${listed(areas.map((area) => AREA_NAMES[area.area]))} are in order`;
  }
  const counts = SEVERITIES.map((severity) => [severity, findings.filter((finding) => finding.severity === severity).length] as const)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${count} ${severity}`);
  return `${findings.length} finding${findings.length === 1 ? "" : "s"}: ${counts.join(", ")}${notAudited ? `; ${notAudited}` : ""}`;
}

function censusOf(census: AuditSubject["census"]): string {
  switch (census.kind) {
    case "key-profile":
      return `the access key in AWS profile "${census.profile}"`;
    case "user":
      return `the access keys of IAM user ${census.userName}`;
    case "stack":
      return `access key ${census.accessKeyId} of IAM user ${census.userName}`;
  }
}

export async function runAudit(subject: AuditSubject, options: AuditOptions): Promise<AuditReport> {
  const settled = await Promise.allSettled([
    auditImporterRole(subject, options),
    auditCensusIdentity(subject, options),
    auditBucket(subject, options),
    auditPinpointProject(subject, options),
  ]);
  // The first failure in the areas' order, whichever came first in time: the same run fails the same way.
  const failure = settled.find((outcome) => outcome.status === "rejected");
  if (failure) throw failure.reason;
  const areas = settled.map((outcome) => (outcome as PromiseFulfilledResult<AreaResult>).value);
  // Array sort is stable: within a severity, findings keep their area's order.
  const findings = areas.flatMap((area) => area.findings).sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
  return {
    ok: findings.length === 0 && areas.every((area) => area.skipped === undefined),
    verdict: verdictOf(areas, findings),
    subject: {
      region: subject.region,
      projectId: subject.projectId,
      bucketName: subject.bucketName,
      importerRoleArn: subject.importerRoleArn,
      census: censusOf(subject.census),
      ...(subject.stackName !== undefined ? { stackName: subject.stackName } : {}),
    },
    areas,
    findings,
  };
}
