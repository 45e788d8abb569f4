// After a run killed mid-update: which half-created resources census-pinpoint can look up in AWS, by
// the ID the AWS provider gives them. (The whole recovery runs on the real engine in stoppedRuns.e2e.)
import { providerId } from "../../../wizard/pulumi/interruptedCreates.js";
import { parseStackState, type StateResource } from "../../../wizard/pulumi/stackState.js";

const scope = { partition: "aws", accountId: "123456789012" };
const create = (type: string, inputs: Record<string, unknown>): StateResource => ({ urn: `urn:pulumi:s::census-pinpoint::${type}::x`, type, inputs, outputs: {} });

test("buckets, roles, users and groups by name, a policy by the ARN its name makes", () => {
  expect(providerId(create("aws:s3/bucket:Bucket", { bucket: "staging" }), scope)).toEqual({ type: "aws:s3/bucket:Bucket", id: "staging" });
  expect(providerId(create("aws:iam/role:Role", { name: "Importer" }), scope)).toEqual({ type: "aws:iam/role:Role", id: "Importer" });
  expect(providerId(create("aws:iam/user:User", { name: "census" }), scope)).toEqual({ type: "aws:iam/user:User", id: "census" });
  expect(providerId(create("aws:iam/group:Group", { name: "census-group" }), scope)).toEqual({ type: "aws:iam/group:Group", id: "census-group" });
  expect(providerId(create("aws:iam/policy:Policy", { name: "census-policy" }), { ...scope, partition: "aws-us-gov" })).toEqual({
    type: "aws:iam/policy:Policy",
    id: "arn:aws-us-gov:iam::123456789012:policy/census-policy",
  });
});

test("nothing for types whose ID AWS makes up (an access key, an attachment) or a name not known", () => {
  expect(providerId(create("aws:iam/accessKey:AccessKey", { user: "census" }), scope)).toBeUndefined();
  expect(providerId(create("aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "r", policyArn: "arn" }), scope)).toBeUndefined();
  expect(providerId(create("aws:s3/bucket:Bucket", {}), scope)).toBeUndefined();
});

test("the exported state's pending creates are read apart from its resources and from other pending operations", () => {
  const state = parseStackState(
    JSON.stringify({
      deployment: {
        resources: [{ urn: "urn:a", type: "aws:s3/bucket:Bucket", id: "staging", inputs: { bucket: "staging" }, outputs: { bucket: "staging" } }],
        pending_operations: [
          { type: "creating", resource: { urn: "urn:b", type: "aws:iam/role:Role", inputs: { name: "Importer" } } },
          { type: "updating", resource: { urn: "urn:a", type: "aws:s3/bucket:Bucket", id: "staging", inputs: {} } },
        ],
      },
    }),
  );
  expect(state.resources.map((resource) => resource.urn)).toEqual(["urn:a"]);
  expect(state.pendingCreates).toEqual([{ urn: "urn:b", type: "aws:iam/role:Role", id: undefined, inputs: { name: "Importer" }, outputs: {} }]);
});
