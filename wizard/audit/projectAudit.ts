/**
 * Whether the Pinpoint project still answers. A project that is gone, or that Pinpoint no longer
 * serves since its end of support, leaves the importer role and Census's long-lived key serving
 * nothing while they still work. Read-only.
 */
import { END_OF_SUPPORT, findPinpointProject, refusedForEndOfSupport } from "../aws/pinpoint.js";
import type { AreaResult, AuditOptions, AuditSubject } from "./report.js";

/** What removes the pieces that served the project, and the command, on a line of its own: teardown for a stack, retire for a setup made by hand. */
function removal(subject: AuditSubject): string {
  if (subject.stackName !== undefined) {
    return `delete the bucket, importer role, Census user and key the stack made:\ncensus-pinpoint teardown --stack ${subject.stackName}`;
  }
  const key =
    subject.census.kind === "key-profile"
      ? `--key-profile ${subject.census.profile}`
      : `--access-key-id <the access key ID Census holds, of IAM user ${subject.census.userName}>`;
  return `delete Census's access key and the importer role, each named and confirmed first:\ncensus-pinpoint retire --region ${subject.region} --project-id ${subject.projectId} --role-arn ${subject.importerRoleArn} ${key}`;
}

export async function auditPinpointProject(subject: AuditSubject, options: AuditOptions): Promise<AreaResult> {
  const { projectId, region } = subject;
  options.onProgress({ kind: "step", message: `Looking up Pinpoint project ${projectId}` });
  const lookup = await findPinpointProject(subject.admin, projectId);
  const area = "pinpoint-project" as const;
  switch (lookup.status) {
    case "found":
      return { area, findings: [], passed: [`Pinpoint project ${projectId}${lookup.name ? ` ("${lookup.name}")` : ""} answers in ${region}`] };
    case "not-found":
      return {
        area,
        passed: [],
        findings: [
          {
            id: "project-missing",
            area,
            severity: "high",
            problem: `There is no Pinpoint project ${projectId} in ${region}: the importer role and Census's access key serve nothing, yet they still work.`,
            evidence: [`Pinpoint GetApp ${projectId} in ${region}: NotFoundException`],
            fix: `Check the project ID and region first (Pinpoint console → All projects). If the project is gone for good, disconnect the destination in Census and ${removal(subject)}`,
            method: "api",
          },
        ],
      };
    case "unavailable":
      if (!refusedForEndOfSupport(lookup)) return { area, findings: [], passed: [], skipped: `Amazon Pinpoint did not answer for project ${projectId} in ${region}: ${lookup.reason}.` };
      return {
        area,
        passed: [],
        findings: [
          {
            id: "project-end-of-support",
            area,
            severity: "high",
            problem: `Amazon Pinpoint no longer serves project ${projectId} in ${region} (${END_OF_SUPPORT}): Census cannot import segments any more, so this integration is dead weight that still holds a long-lived access key.`,
            evidence: [`Pinpoint GetApp ${projectId} in ${region}: ${lookup.reason}`],
            fix: `Disconnect the Amazon Pinpoint destination in Census, then ${removal(subject)}`,
            method: "api",
          },
        ],
      };
  }
}
