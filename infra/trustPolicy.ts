/**
 * The importer role's trust policy: who may assume the role that reads the staging bucket. Built here
 * for the component, `plan`, the docs and the tests; wizard/verify/trustConditions.ts and
 * wizard/audit/roleAudit.ts read a deployed one against it.
 */
import { pinpointAppArn, PINPOINT_SERVICE_PRINCIPAL, type PolicyDocument, type ProjectScope } from "./policies.js";

/**
 * Trust policy of the importer role. The SourceAccount/SourceArn conditions stop another account's
 * Pinpoint project, or another project of this account, from using this role (confused deputy);
 * Census's own guide omitted them. No external ID: AWS deprecated them for Pinpoint roles.
 *
 * AWS documents the project's ARN, `apps/<application-id>`, under ArnLike for import roles
 * (https://docs.aws.amazon.com/pinpoint/latest/developerguide/permissions-import-segment.html). Pinpoint
 * presents resources under a project as SourceArn elsewhere (a campaign's ARN when it invokes Lambda:
 * https://docs.aws.amazon.com/pinpoint/latest/developerguide/segments-dynamic.html), so an import job's
 * ARN, `apps/<id>/jobs/import/<job>`, is possible: `apps/<id>/*` admits it. Never `apps/<id>*`, which
 * would also admit every project whose ID starts with this one's.
 */
export function importerTrustPolicy(scope: ProjectScope): PolicyDocument {
  const appArn = pinpointAppArn(scope);
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "PinpointImportsForThisProjectOnly",
        Effect: "Allow",
        Principal: { Service: PINPOINT_SERVICE_PRINCIPAL },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": scope.accountId },
          ArnLike: { "aws:SourceArn": [appArn, `${appArn}/*`] },
        },
      },
    ],
  };
}
