// doctor's permission checks with aws-sdk-client-mock: moto implements no policy simulator, and these
// tests need IAM's exact answers (allowed, denied, explicitly denied, the simulation refused).
import { GetRoleCommand, IAMClient, IAMServiceException, SimulatePrincipalPolicyCommand, type SimulatePrincipalPolicyCommandInput } from "@aws-sdk/client-iam";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { ADMIN_PERMISSIONS, adminResourceArn } from "../../../infra/adminPermissions.js";
import type { CallerIdentity } from "../../../wizard/aws/identity.js";
import { checkAdminPermissions } from "../../../wizard/doctor/permissions.js";
import type { DoctorCheck } from "../../../wizard/doctor/report.js";

const ACCOUNT = "123456789012";
const PROJECT = "0123456789abcdef0123456789abcdef";
const USER: CallerIdentity = { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/admin`, userId: "AIDAEXAMPLE" };
const SSO_SESSION: CallerIdentity = { accountId: ACCOUNT, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Admin_0123/jane`, userId: "AROAEXAMPLE:jane" };
const SSO_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123`;
const TARGET = { region: "us-east-1", profile: "admin", env: {} };
const SCOPE = { region: "us-east-1" as const, projectId: PROJECT };

let iam: AwsClientStub<IAMClient>;
beforeAll(() => {
  iam = mockClient(IAMClient);
});
afterEach(() => iam.reset());
afterAll(() => iam.restore());

/** The simulator as IAM answers it: `decide` per action and resource. */
function simulator(decide: (action: string, resource: string) => string = () => "allowed"): void {
  iam.on(SimulatePrincipalPolicyCommand).callsFake((input: SimulatePrincipalPolicyCommandInput) => ({
    EvaluationResults: (input.ActionNames ?? []).map((action) => ({ EvalActionName: action, EvalResourceName: input.ResourceArns?.[0], EvalDecision: decide(action, input.ResourceArns?.[0] ?? "*") })),
    IsTruncated: false,
  }));
}

function byId(checks: DoctorCheck[]): Record<string, DoctorCheck> {
  return Object.fromEntries(checks.map((check) => [check.id, check]));
}

test("asks about every action of docs/permissions.md's list, on the stack's own names, for the caller", async () => {
  simulator();
  const checks = byId(await checkAdminPermissions(TARGET, USER, SCOPE));
  expect(Object.values(checks).map((check) => check.status)).toEqual(["ok", "ok", "ok"]);
  const asked = iam.commandCalls(SimulatePrincipalPolicyCommand).flatMap((call) => (call.args[0].input.ActionNames ?? []).map((action) => `${action} ${call.args[0].input.ResourceArns?.[0]}`));
  const scope = { ...SCOPE, accountId: ACCOUNT };
  const expected = new Set(Object.values(ADMIN_PERMISSIONS).flatMap((list) => list.map(({ action, resource }) => `${action} ${adminResourceArn(resource, scope)}`)));
  expect(new Set(asked)).toEqual(expected);
  expect(iam.commandCalls(SimulatePrincipalPolicyCommand).every((call) => call.args[0].input.PolicySourceArn === USER.arn)).toBe(true);
  expect(asked).toContain(`iam:CreateRole arn:aws:iam::${ACCOUNT}:role/CensusPinpointSegmentImporter-01234567`);
});

test("a denied action fails the commands that need it, and only those", async () => {
  simulator((action) => (action === "iam:CreateRole" || action === "iam:DeleteRole" ? "implicitDeny" : "allowed"));
  const checks = byId(await checkAdminPermissions(TARGET, USER, SCOPE));
  expect(checks["permissions-setup"]).toMatchObject({ status: "fail", detail: expect.stringMatching(/^1 of \d+ denied for arn:aws:iam::123456789012:user\/admin: iam:CreateRole \(on the names of project/) });
  expect(checks["permissions-rotate-key"]!.status).toBe("ok");
  expect(checks["permissions-teardown"]).toMatchObject({ status: "fail", detail: expect.stringContaining(": iam:DeleteRole (") });
  expect(checks["permissions-setup"]!.fix).toBe("Ask an AWS administrator to grant them (docs/permissions.md lists each command's), or use credentials that have them (--profile).");
});

test("an SSO session is simulated as its role, with the path GetRole gives", async () => {
  iam.on(GetRoleCommand).resolves({ Role: { Arn: SSO_ROLE_ARN, RoleName: "AWSReservedSSO_Admin_0123", Path: "/aws-reserved/sso.amazonaws.com/", RoleId: "AROAEXAMPLE", CreateDate: new Date() } });
  simulator();
  await checkAdminPermissions(TARGET, SSO_SESSION, SCOPE);
  expect(iam.commandCalls(GetRoleCommand)[0]!.args[0].input).toEqual({ RoleName: "AWSReservedSSO_Admin_0123" });
  expect(new Set(iam.commandCalls(SimulatePrincipalPolicyCommand).map((call) => call.args[0].input.PolicySourceArn))).toEqual(new Set([SSO_ROLE_ARN]));
});

test("the simulation refused: \"could not check\" on each command, naming the permission", async () => {
  iam.on(SimulatePrincipalPolicyCommand).rejects(
    new IAMServiceException({
      name: "AccessDenied",
      $fault: "client",
      $metadata: { httpStatusCode: 403 },
      message: `User: ${USER.arn} is not authorized to perform: iam:SimulatePrincipalPolicy on resource: ${USER.arn}`,
    }),
  );
  const checks = await checkAdminPermissions(TARGET, USER, SCOPE);
  expect(checks.map((check) => check.status)).toEqual(["unchecked", "unchecked", "unchecked"]);
  expect(checks[0]).toMatchObject({
    what: "Permissions for setup",
    detail: 'could not check: the credentials of AWS profile "admin" may not call iam:SimulatePrincipalPolicy',
    fix: "Compare your permissions with docs/permissions.md, or ask for iam:SimulatePrincipalPolicy so doctor can check them.",
  });
});

test("pages of the simulator's answer are all read", async () => {
  let call = 0;
  iam.on(SimulatePrincipalPolicyCommand).callsFake((input: SimulatePrincipalPolicyCommandInput) => {
    call++;
    const actions = input.ActionNames ?? [];
    // First page: nothing; the rest come with the marker.
    if (input.Marker === undefined) return { EvaluationResults: [], IsTruncated: true, Marker: "next" };
    return { EvaluationResults: actions.map((action) => ({ EvalActionName: action, EvalDecision: "allowed" })), IsTruncated: false };
  });
  const checks = await checkAdminPermissions(TARGET, USER, SCOPE);
  expect(call).toBeGreaterThan(1);
  expect(checks.map((check) => check.status)).toEqual(["ok", "ok", "ok"]);
});

test("the root user is not simulated: a warning to use another identity", async () => {
  const checks = await checkAdminPermissions(TARGET, { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, userId: ACCOUNT }, SCOPE);
  expect(checks.map((check) => check.status)).toEqual(["warn", "warn", "warn"]);
  expect(iam.commandCalls(SimulatePrincipalPolicyCommand)).toHaveLength(0);
});
