// IAM's policy simulator with aws-sdk-client-mock: moto has none (HTTP 500), and these tests need
// AWS's answers (allowed, denied) and its refusals.
import { IAMClient, IAMServiceException, SimulatePrincipalPolicyCommand, type SimulatePrincipalPolicyCommandInput } from "@aws-sdk/client-iam";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { grantsBeyondNeed, type AuditScope, type GrantContext } from "../../../wizard/audit/policyGrants.js";
import { methodOf, probesOf, simulate, simulationEvidence, verdictsOf, type Simulation } from "../../../wizard/audit/simulation.js";
import type { AwsTarget } from "../../../wizard/aws/target.js";
import { AMAZON_S3_READ_ONLY_ACCESS } from "./managedPolicies.js";

const ACCOUNT = "123456789012";
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/CensusPinpointImporter`;
const admin: AwsTarget = { region: "eu-west-1", credentials: { accessKeyId: "AKIAI44QH8DHBEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" }, env: {} };
const scope: AuditScope = { partition: "aws", region: "eu-west-1", accountId: ACCOUNT, projectId: "0123456789abcdef0123456789abcdef", bucketName: "census-staging", importerRoleArn: ROLE_ARN };
const context: GrantContext = { scope, grantee: { kind: "importer-role" }, bucketCount: 3 };
const readOnly = [{ name: "AmazonS3ReadOnlyAccess", document: AMAZON_S3_READ_ONLY_ACCESS }];

let iam: AwsClientStub<IAMClient>;
beforeAll(() => {
  iam = mockClient(IAMClient);
});
afterEach(() => iam.reset());
afterAll(() => iam.restore());

/** The simulator, answering each action on each resource of a call. */
function answering(decide: (action: string, resource: string) => "allowed" | "implicitDeny" | "explicitDeny") {
  iam.on(SimulatePrincipalPolicyCommand).callsFake((input: SimulatePrincipalPolicyCommandInput) => ({
    EvaluationResults: input.ActionNames!.flatMap((action) => input.ResourceArns!.map((resource) => ({ EvalActionName: action, EvalResourceName: resource, EvalDecision: decide(action, resource) }))),
  }));
}

function failure(name: string, status: number, message: string): IAMServiceException {
  return new IAMServiceException({ name, $fault: status >= 500 ? "server" : "client", $metadata: { httpStatusCode: status }, message });
}

test("asks once per resource, with every action on it, and reads every page", async () => {
  iam
    .on(SimulatePrincipalPolicyCommand, { ResourceArns: ["arn:aws:s3:::other/x"] })
    .resolvesOnce({ EvaluationResults: [{ EvalActionName: "s3:GetObject", EvalResourceName: "arn:aws:s3:::other/x", EvalDecision: "allowed" }], IsTruncated: true, Marker: "m1" })
    .resolvesOnce({ EvaluationResults: [{ EvalActionName: "s3:PutObject", EvalResourceName: "arn:aws:s3:::other/x", EvalDecision: "implicitDeny" }], IsTruncated: false })
    .on(SimulatePrincipalPolicyCommand, { ResourceArns: ["*"] })
    .resolves({ EvaluationResults: [{ EvalActionName: "iam:CreateUser", EvalResourceName: "*", EvalDecision: "explicitDeny" }] });

  const simulation = await simulate(admin, ROLE_ARN, [
    { action: "s3:GetObject", resource: "arn:aws:s3:::other/x" },
    { action: "iam:CreateUser", resource: "*" },
    { action: "s3:PutObject", resource: "arn:aws:s3:::other/x" },
  ]);

  // The resources are asked about at once, so in no particular order. The paginator reuses one input
  // object per resource, so the first page's call shows the later Marker too.
  const calls = iam.commandCalls(SimulatePrincipalPolicyCommand).map((call) => call.args[0].input);
  expect(calls.map((input) => [input.PolicySourceArn, input.ResourceArns, input.ActionNames]).sort()).toEqual([
    [ROLE_ARN, ["*"], ["iam:CreateUser"]],
    [ROLE_ARN, ["arn:aws:s3:::other/x"], ["s3:GetObject", "s3:PutObject"]],
    [ROLE_ARN, ["arn:aws:s3:::other/x"], ["s3:GetObject", "s3:PutObject"]],
  ]);
  expect(calls.filter((input) => input.ResourceArns![0] === "arn:aws:s3:::other/x").map((input) => input.Marker)).toEqual(["m1", "m1"]);
  expect(simulation).toEqual({
    available: true,
    decisions: new Map([
      ["s3:GetObject arn:aws:s3:::other/x", "allowed"],
      ["s3:PutObject arn:aws:s3:::other/x", "implicitDeny"],
      ["iam:CreateUser *", "explicitDeny"],
    ]),
  });
});

test.each([
  ["an emulator's HTTP 500", failure("InternalFailure", 500, "Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object."), /\(HTTP 500\); emulators such as moto do not implement it$/],
  ["NotImplemented", failure("NotImplemented", 501, "The action SimulatePrincipalPolicy is not implemented"), /NotImplemented, HTTP 501/],
  ["a refusal to the caller", failure("AccessDenied", 403, `User: arn:aws:iam::${ACCOUNT}:user/auditor is not authorized to perform: iam:SimulatePrincipalPolicy on resource: ${ROLE_ARN}`), /may not call iam:SimulatePrincipalPolicy$/],
])("%s leaves the reading to stand alone, and says why", async (_, error, reason) => {
  iam.on(SimulatePrincipalPolicyCommand).rejects(error);
  const simulation = await simulate(admin, ROLE_ARN, [{ action: "s3:GetObject", resource: "arn:aws:s3:::other/x" }]);
  expect(simulation.available).toBe(false);
  expect(simulation.available === false && simulation.reason).toMatch(reason);
});

test("nothing to ask, no call", async () => {
  expect(await simulate(admin, ROLE_ARN, [])).toEqual({ available: true, decisions: new Map() });
  expect(iam.commandCalls(SimulatePrincipalPolicyCommand)).toHaveLength(0);
});

describe("a finding confirmed or not", () => {
  const [readGrant] = grantsBeyondNeed(readOnly, context);

  test("the simulator allows every probe: the finding is simulated, with its answers as evidence", async () => {
    answering(() => "allowed");
    const simulation = await simulate(admin, ROLE_ARN, probesOf([readGrant!]));
    const [grant] = grantsBeyondNeed(readOnly, context, { verdicts: verdictsOf(simulation) });
    expect(methodOf(grant!, simulation)).toBe("simulated");
    expect(simulationEvidence(grant!, simulation)).toEqual([
      "IAM's policy simulator: s3:GetObject on arn:aws:s3:::any-other-bucket/any-object → allowed",
      "IAM's policy simulator: s3:ListBucket on arn:aws:s3:::any-other-bucket → allowed",
    ]);
  });

  test("the simulator refuses reading other buckets (a permissions boundary): the right is gone", async () => {
    answering((action) => (action === "s3:GetObject" ? "implicitDeny" : "allowed"));
    const simulation = await simulate(admin, ROLE_ARN, probesOf([readGrant!]));
    const [grant] = grantsBeyondNeed(readOnly, context, { verdicts: verdictsOf(simulation) });
    expect(grant!.reach).toBe("list what is in all 3 buckets of this account");
    expect(methodOf(grant!, simulation)).toBe("simulated");
  });

  test("without the simulator, the reading's method and why", () => {
    const simulation: Simulation = { available: false, reason: "the endpoint did not answer SimulatePrincipalPolicy (HTTP 500)" };
    expect(methodOf(readGrant!, simulation)).toBe("policy-read");
    expect(simulationEvidence(readGrant!, simulation)).toEqual([
      "Read from the policy documents: IAM's policy simulator gave no answer (the endpoint did not answer SimulatePrincipalPolicy (HTTP 500))",
    ]);
  });

  test("a right read from patterns alone has nothing for the simulator", () => {
    const [pattern] = grantsBeyondNeed([{ name: "p", document: { Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::census-*/*" }] } }], context);
    const simulation: Simulation = { available: true, decisions: new Map() };
    expect(pattern!.probes).toEqual([]);
    expect(methodOf(pattern!, simulation)).toBe("policy-read");
    expect(simulationEvidence(pattern!, simulation)).toEqual([]);
  });
});
