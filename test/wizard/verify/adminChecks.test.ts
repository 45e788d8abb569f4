// The administrator's IAM checks with aws-sdk-client-mock: moto implements no policy simulator, and
// these tests need IAM's exact answers (allowed, denied, explicitly denied, refused to the caller).
import {
  GetRoleCommand,
  IAMClient,
  IAMServiceException,
  NoSuchEntityException,
  SimulatePrincipalPolicyCommand,
  type SimulatePrincipalPolicyCommandInput,
} from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { type PolicyDocument } from "../../../infra/policies.js";
import { importerTrustPolicy } from "../../../infra/trustPolicy.js";
import { openAdminSession, type AdminSession } from "../../../wizard/verify/adminAccess.js";
import { scopeOf, type VerifyInput, type VerifyScope } from "../../../wizard/verify/input.js";
import { checkPolicies } from "../../../wizard/verify/policyChecks.js";
import type { VerifyCheck } from "../../../wizard/verify/report.js";
import { checkImporterRole } from "../../../wizard/verify/roleChecks.js";
import { DUMMY_CREDENTIALS } from "../../helpers/moto.js";

const ACCOUNT = "123456789012";
const PROJECT = "0123456789abcdef0123456789abcdef";
const BUCKET = `census-pinpoint-staging-${ACCOUNT}-us-east-1`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/CensusPinpointSegmentImporter-01234567`;
const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/census-pinpoint-01234567`;
const APP_ARN = `arn:aws:mobiletargeting:us-east-1:${ACCOUNT}:apps/${PROJECT}`;

const input: VerifyInput = {
  region: "us-east-1",
  projectId: PROJECT,
  bucketName: BUCKET,
  importerRoleArn: ROLE_ARN,
  key: { credentials: DUMMY_CREDENTIALS },
  admin: { profile: "admin" },
};
const scope: VerifyScope = scopeOf(input, {}, new Date("2026-01-01T00:00:00Z"));
const session: AdminSession = { ok: true, target: scope.admin };

let iam: AwsClientStub<IAMClient>;
let sts: AwsClientStub<STSClient>;
beforeAll(() => {
  iam = mockClient(IAMClient);
  sts = mockClient(STSClient);
});
afterEach(() => {
  iam.reset();
  sts.reset();
});
afterAll(() => {
  iam.restore();
  sts.restore();
});

function byId(checks: VerifyCheck[]): Record<string, VerifyCheck> {
  return Object.fromEntries(checks.map((check) => [check.id, check]));
}

function accessDenied(action: string): IAMServiceException {
  return new IAMServiceException({
    name: "AccessDenied",
    $fault: "client",
    $metadata: { httpStatusCode: 403 },
    message: `User: arn:aws:iam::${ACCOUNT}:user/admin is not authorized to perform: ${action} on resource: ${USER_ARN}`,
  });
}

type Decision = "allowed" | "explicitDeny" | "implicitDeny";

/** IAM's simulator, answering from a table of `action resource [passedToService]` → decision. */
function simulator(decide: (request: { action: string; resource: string; service?: string }) => Decision) {
  iam.on(SimulatePrincipalPolicyCommand).callsFake((request: SimulatePrincipalPolicyCommandInput) => {
    const action = request.ActionNames![0]!;
    const service = request.ContextEntries?.find((entry) => entry.ContextKeyName === "iam:PassedToService")?.ContextKeyValues?.[0];
    return { EvaluationResults: [{ EvalActionName: action, EvalDecision: decide({ action, resource: request.ResourceArns![0]!, service }) }] };
  });
}

const CENSUS_NEEDS = new Set(["mobiletargeting:CreateImportJob", "iam:PassRole", "s3:PutObject"]);

describe("SimulatePrincipalPolicy for the Census user", () => {
  test("what Census needs is allowed and nothing else: four passes, asked about the right ARNs", async () => {
    simulator(({ action }) => (CENSUS_NEEDS.has(action) ? "allowed" : "implicitDeny"));
    const checks = byId(await checkPolicies(scope, session, USER_ARN));

    expect(Object.values(checks).map((check) => check.status)).toEqual(["passed", "passed", "passed", "passed"]);
    expect(checks["policy-import-job"]!.detail).toBe(`allowed on ${APP_ARN}`);
    expect(checks["policy-pass-role"]!.detail).toBe(`allowed on ${ROLE_ARN} with iam:PassedToService mobiletargeting.amazonaws.com or pinpoint.amazonaws.com`);
    expect(checks["policy-put-object"]!.detail).toMatch(new RegExp(`^allowed on arn:aws:s3:::${BUCKET}/census-pinpoint-verify/`));
    expect(checks["policy-least-privilege"]!.detail).toBe("both denied");

    const asked = iam.commandCalls(SimulatePrincipalPolicyCommand).map((call) => call.args[0].input);
    expect(asked.every((request) => request.PolicySourceArn === USER_ARN)).toBe(true);
    expect(asked.map((request) => `${request.ActionNames} ${request.ResourceArns}`)).toEqual([
      `mobiletargeting:CreateImportJob ${APP_ARN}`,
      `iam:PassRole ${ROLE_ARN}`,
      `iam:PassRole ${ROLE_ARN}`,
      expect.stringMatching(new RegExp(`^s3:PutObject arn:aws:s3:::${BUCKET}/census-pinpoint-verify/.+`)),
      `s3:DeleteBucket arn:aws:s3:::${BUCKET}`,
      `iam:CreateAccessKey ${USER_ARN}`,
    ]);
    expect(asked.filter((request) => request.ContextEntries).map((request) => request.ContextEntries)).toEqual([
      [{ ContextKeyName: "iam:PassedToService", ContextKeyType: "string", ContextKeyValues: ["mobiletargeting.amazonaws.com"] }],
      [{ ContextKeyName: "iam:PassedToService", ContextKeyType: "string", ContextKeyValues: ["pinpoint.amazonaws.com"] }],
    ]);
  });

  test("denied permissions and a too-broad policy each fail with their fix", async () => {
    simulator(({ action }) => {
      if (action === "mobiletargeting:CreateImportJob") return "implicitDeny";
      if (action === "iam:PassRole") return "explicitDeny";
      return action === "s3:PutObject" || action === "s3:DeleteBucket" ? "allowed" : "implicitDeny";
    });
    const checks = byId(await checkPolicies(scope, session, USER_ARN));

    expect(checks["policy-import-job"]).toMatchObject({
      status: "failed",
      detail: `denied on ${APP_ARN}`,
      fix: expect.stringContaining(`Grant mobiletargeting:CreateImportJob on ${APP_ARN} and ${APP_ARN}/* to ${USER_ARN}`),
    });
    expect(checks["policy-pass-role"]).toMatchObject({ status: "failed", detail: `denied on ${ROLE_ARN} (explicitly)` });
    expect(JSON.parse(checks["policy-pass-role"]!.fix!.slice(checks["policy-pass-role"]!.fix!.indexOf("{")))).toEqual({
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: ROLE_ARN,
      Condition: { StringEquals: { "iam:PassedToService": ["mobiletargeting.amazonaws.com", "pinpoint.amazonaws.com"] } },
    });
    expect(checks["policy-put-object"]!.status).toBe("passed");
    expect(checks["policy-least-privilege"]).toMatchObject({
      status: "failed",
      detail: `allowed: s3:DeleteBucket on arn:aws:s3:::${BUCKET}`,
      fix: expect.stringContaining(`detach broader policies (e.g. AdministratorAccess, AmazonS3FullAccess, IAMFullAccess) from ${USER_ARN}`),
    });
  });

  test("an explicit Deny on an action Census needs says where to look", async () => {
    simulator(({ action }) => (action === "s3:PutObject" ? "explicitDeny" : CENSUS_NEEDS.has(action) ? "allowed" : "implicitDeny"));
    const checks = byId(await checkPolicies(scope, session, USER_ARN));
    expect(checks["policy-put-object"]!.fix).toContain("An explicit Deny blocks s3:PutObject");
    expect(checks["policy-put-object"]!.fix).toContain("permissions boundary or an SCP");
  });

  test("PassRole allowed for one of the two service names passes, with the caveat", async () => {
    simulator(({ action, service }) => (action === "iam:PassRole" ? (service === "pinpoint.amazonaws.com" ? "allowed" : "implicitDeny") : CENSUS_NEEDS.has(action) ? "allowed" : "implicitDeny"));
    const check = byId(await checkPolicies(scope, session, USER_ARN))["policy-pass-role"]!;
    expect(check.status).toBe("passed");
    expect(check.detail).toContain("allowed only with iam:PassedToService pinpoint.amazonaws.com");
    expect(check.detail).toContain("allowing both is safer");
  });

  test("an administrator without iam:SimulatePrincipalPolicy: the four checks are skipped, saying why", async () => {
    iam.on(SimulatePrincipalPolicyCommand).rejects(accessDenied("iam:SimulatePrincipalPolicy"));
    const checks = await checkPolicies(scope, session, USER_ARN);
    expect(checks.map((check) => [check.status, check.detail])).toEqual(
      Array(4).fill(["skipped", 'the credentials of AWS profile "admin" may not call iam:SimulatePrincipalPolicy']),
    );
  });

  test("no Census user to simulate, or no administrator session: skipped without calling IAM", async () => {
    expect((await checkPolicies(scope, session, undefined)).map((check) => check.detail)).toEqual(Array(4).fill("the Census user is not known, because the key did not work"));
    expect((await checkPolicies(scope, { ok: false, reason: "no administrator credentials" }, USER_ARN)).map((check) => check.status)).toEqual(Array(4).fill("skipped"));
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)).toHaveLength(0);
  });
});

describe("GetRole: the importer role's trust policy", () => {
  const project = { partition: "aws" as const, region: "us-east-1", accountId: ACCOUNT, projectId: PROJECT };
  const role = (trust: PolicyDocument | object, arn = ROLE_ARN) =>
    iam.on(GetRoleCommand).resolves({
      Role: { Arn: arn, RoleName: "CensusPinpointSegmentImporter-01234567", Path: "/", RoleId: "AROAEXAMPLE", CreateDate: new Date(), AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trust)) },
    });

  test("the trust policy setup writes passes both checks", async () => {
    role(importerTrustPolicy(project));
    const checks = byId(await checkImporterRole(scope, session));
    expect(checks["role-trust"]).toMatchObject({ status: "passed", detail: ROLE_ARN });
    expect(checks["role-conditions"]).toMatchObject({ status: "passed", detail: `aws:SourceAccount ${ACCOUNT}; aws:SourceArn ${APP_ARN}, ${APP_ARN}/*` });
    expect(iam.commandCalls(GetRoleCommand)[0]!.args[0].input).toEqual({ RoleName: "CensusPinpointSegmentImporter-01234567" });
  });

  test("Census's guide's trust policy (no conditions): Pinpoint is trusted, but the conditions check fails with the block to add", async () => {
    role({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "pinpoint.amazonaws.com" }, Action: "sts:AssumeRole" }] });
    const checks = byId(await checkImporterRole(scope, session));
    expect(checks["role-trust"]!.status).toBe("passed");
    expect(checks["role-conditions"]).toMatchObject({
      status: "failed",
      detail: expect.stringContaining("has no aws:SourceAccount and aws:SourceArn condition, so Pinpoint projects of any AWS account could use the role"),
    });
    const fix = checks["role-conditions"]!.fix!;
    expect(JSON.parse(fix.slice(fix.indexOf("{")))).toEqual({ Condition: importerTrustPolicy(project).Statement[0]!.Condition });
  });

  test("conditions naming another project fail: imports into this one would be refused", async () => {
    role(importerTrustPolicy({ ...project, projectId: "ffffffffffffffffffffffffffffffff" }));
    const check = byId(await checkImporterRole(scope, session))["role-conditions"]!;
    expect(check.status).toBe("failed");
    expect(check.detail).toContain("apps/ffffffffffffffffffffffffffffffff");
    expect(check.detail).toContain("Pinpoint's imports into this project are refused");
  });

  test("a role Pinpoint may not assume fails the trust check with the statement to add", async () => {
    role({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] });
    const checks = byId(await checkImporterRole(scope, session));
    expect(checks["role-trust"]).toMatchObject({ status: "failed", detail: expect.stringContaining("does not let pinpoint.amazonaws.com call sts:AssumeRole") });
    expect(checks["role-trust"]!.fix).toContain('"aws:SourceAccount": "123456789012"');
    expect(checks["role-conditions"]!.status).toBe("skipped");
  });

  test("an ARN with the wrong path is not the role's ARN", async () => {
    role(importerTrustPolicy(project), `arn:aws:iam::${ACCOUNT}:role/census/CensusPinpointSegmentImporter-01234567`);
    const check = byId(await checkImporterRole(scope, session))["role-trust"]!;
    expect(check).toMatchObject({ status: "failed", fix: expect.stringContaining(`arn:aws:iam::${ACCOUNT}:role/census/CensusPinpointSegmentImporter-01234567`) });
  });

  test("a missing role fails; the conditions check is skipped", async () => {
    iam.on(GetRoleCommand).rejects(new NoSuchEntityException({ $metadata: { httpStatusCode: 404 }, message: "Role not found" }));
    const checks = byId(await checkImporterRole(scope, session));
    expect(checks["role-trust"]).toMatchObject({
      status: "failed",
      detail: `There is no role CensusPinpointSegmentImporter-01234567 in account ${ACCOUNT}`,
      fix: expect.stringContaining("census-pinpoint setup"),
    });
    expect(checks["role-conditions"]).toMatchObject({ status: "skipped", detail: "there is no role" });
  });

  test("an administrator without iam:GetRole: both skipped, saying why", async () => {
    iam.on(GetRoleCommand).rejects(accessDenied("iam:GetRole"));
    const checks = await checkImporterRole(scope, session);
    expect(checks.map((check) => [check.status, check.detail])).toEqual(Array(2).fill(["skipped", 'the credentials of AWS profile "admin" may not call iam:GetRole']));
  });
});

describe("the administrator session", () => {
  test("credentials of another account: every administrator check is skipped, naming both accounts", async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: "111111111111", Arn: "arn:aws:iam::111111111111:user/admin", UserId: "AIDA" });
    expect(await openAdminSession(scope)).toEqual({
      ok: false,
      reason: 'the credentials of AWS profile "admin" are for AWS account 111111111111, and the setup is in 123456789012 (pass --profile for that account)',
    });
  });

  test("credentials of the setup's account open it", async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/admin`, UserId: "AIDA" });
    expect(await openAdminSession(scope)).toEqual({ ok: true, target: { region: "us-east-1", profile: "admin", env: scope.env } });
  });
});
