// The Pinpoint project's audit, with Pinpoint's answers mocked (aws-sdk-client-mock): moto cannot refuse
// a call the way a retired service would. A project that answers passes; one that is gone, or that
// Pinpoint no longer serves, is a finding whose fix retires what served it; any other failure leaves
// the area not audited.
import { ForbiddenException, GetAppCommand, InternalServerErrorException, NotFoundException, PinpointClient } from "@aws-sdk/client-pinpoint";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { auditPinpointProject } from "../../../wizard/audit/projectAudit.js";
import type { AuditSubject } from "../../../wizard/audit/report.js";
import { AwsCredentialsError } from "../../../wizard/errors.js";
import type { ProgressEvent } from "../../../wizard/progress.js";

const PROJECT_ID = "0123456789abcdef0123456789abcdef";
const ROLE_ARN = "arn:aws:iam::123456789012:role/CensusPinpointImporter";
const CREDENTIALS = { accessKeyId: "AKIAI44QH8DHBEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };

let pinpoint: AwsClientStub<PinpointClient>;
beforeAll(() => {
  pinpoint = mockClient(PinpointClient);
});
afterEach(() => pinpoint.reset());
afterAll(() => pinpoint.restore());

function subject(fields: Partial<AuditSubject> = {}): AuditSubject {
  return {
    region: "us-east-1",
    projectId: PROJECT_ID,
    bucketName: "census-staging",
    importerRoleArn: ROLE_ARN,
    census: { kind: "key-profile", profile: "census" },
    admin: { region: "us-east-1", credentials: CREDENTIALS, env: {} },
    ...fields,
  };
}

async function audit(fields: Partial<AuditSubject> = {}) {
  const events: ProgressEvent[] = [];
  const result = await auditPinpointProject(subject(fields), { onProgress: (event) => events.push(event), now: 0 });
  return { result, events };
}

test("a project that answers: a passed line with its name", async () => {
  pinpoint.on(GetAppCommand, { ApplicationId: PROJECT_ID }).resolves({ ApplicationResponse: { Id: PROJECT_ID, Name: "Marketing", Arn: "" } });
  const { result, events } = await audit();

  expect(events).toEqual([{ kind: "step", message: `Looking up Pinpoint project ${PROJECT_ID}` }]);
  expect(result).toEqual({ area: "pinpoint-project", findings: [], passed: [`Pinpoint project ${PROJECT_ID} ("Marketing") answers in us-east-1`] });
});

test("no such project: a high finding; the fix checks the ID, then retires the key and role of the setup made by hand", async () => {
  pinpoint.on(GetAppCommand).rejects(new NotFoundException({ message: "Resource not found", $metadata: { httpStatusCode: 404 } }));
  const { result } = await audit();

  expect(result).toEqual({
    area: "pinpoint-project",
    passed: [],
    findings: [
      {
        id: "project-missing",
        area: "pinpoint-project",
        severity: "high",
        problem: `There is no Pinpoint project ${PROJECT_ID} in us-east-1: the importer role and Census's access key serve nothing, yet they still work.`,
        evidence: [`Pinpoint GetApp ${PROJECT_ID} in us-east-1: NotFoundException`],
        fix:
          "Check the project ID and region first (Pinpoint console → All projects). If the project is gone for good, disconnect the destination in Census and delete Census's access key and the importer role, each named and confirmed first:\n" +
          `census-pinpoint retire --region us-east-1 --project-id ${PROJECT_ID} --role-arn ${ROLE_ARN} --key-profile census`,
        method: "api",
      },
    ],
  });
});

test("Pinpoint refusing the project for its end of support: the integration is dead weight holding a key", async () => {
  pinpoint.on(GetAppCommand).rejects(new ForbiddenException({ message: "Amazon Pinpoint engagement features are no longer supported.", $metadata: { httpStatusCode: 403 } }));
  const { result } = await audit({ census: { kind: "user", userName: "dana.admin" } });

  expect(result.findings).toEqual([
    {
      id: "project-end-of-support",
      area: "pinpoint-project",
      severity: "high",
      problem: `Amazon Pinpoint no longer serves project ${PROJECT_ID} in us-east-1 (AWS ended support for Amazon Pinpoint's engagement features on 30 October 2026): Census cannot import segments any more, so this integration is dead weight that still holds a long-lived access key.`,
      evidence: [
        `Pinpoint GetApp ${PROJECT_ID} in us-east-1: Amazon Pinpoint refused GetApp, apparently because AWS ended support for Amazon Pinpoint's engagement features on 30 October 2026 (Amazon Pinpoint engagement features are no longer supported)`,
      ],
      fix:
        "Disconnect the Amazon Pinpoint destination in Census, then delete Census's access key and the importer role, each named and confirmed first:\n" +
        `census-pinpoint retire --region us-east-1 --project-id ${PROJECT_ID} --role-arn ${ROLE_ARN} --access-key-id <the access key ID Census holds, of IAM user dana.admin>`,
      method: "api",
    },
  ]);
});

test("a stack's project that is gone: the fix is teardown", async () => {
  pinpoint.on(GetAppCommand).rejects(new NotFoundException({ message: "Resource not found", $metadata: { httpStatusCode: 404 } }));
  const stack = `us-east-1-${PROJECT_ID}`;
  const { result } = await audit({ stackName: stack, census: { kind: "stack", userName: "census-pinpoint-01234567", accessKeyId: "AKIAI44QH8DHBEXAMPLE" } });

  expect(result.findings[0]!.fix).toBe(
    "Check the project ID and region first (Pinpoint console → All projects). If the project is gone for good, disconnect the destination in Census and delete the bucket, importer role, Census user and key the stack made:\n" +
      `census-pinpoint teardown --stack ${stack}`,
  );
});

test("any other failure leaves the area not audited, with Pinpoint's reason", async () => {
  pinpoint.on(GetAppCommand).rejects(new InternalServerErrorException({ message: "Internal server error", $metadata: { httpStatusCode: 500 } }));
  const { result } = await audit();

  expect(result).toEqual({
    area: "pinpoint-project",
    findings: [],
    passed: [],
    skipped: `Amazon Pinpoint did not answer for project ${PROJECT_ID} in us-east-1: Amazon Pinpoint GetApp failed: Internal server error (InternalServerErrorException, HTTP 500); AWS ended support for Amazon Pinpoint's engagement features on 30 October 2026, which may be the cause.`,
  });
});

test("credentials AWS rejects stop the audit (exit 3), as every other AWS call does", async () => {
  pinpoint.on(GetAppCommand).rejects(Object.assign(new Error("The security token included in the request is invalid."), { name: "UnrecognizedClientException", $metadata: { httpStatusCode: 403 } }));
  await expect(audit()).rejects.toBeInstanceOf(AwsCredentialsError);
});
