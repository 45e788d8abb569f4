// The test provider stands in for the real AWS provider on the real engine, so where it replaces and
// where it updates in place must be the real provider's (sources in s3Kinds.ts and iamKinds.ts): that
// difference is what decides whether a rename deletes a bucket or Census's key.
import { changedInputs, testAwsProvider } from "./provider/provider.js";
import { IAM_KINDS } from "./provider/iamKinds.js";
import { S3_KINDS } from "./provider/s3Kinds.js";
import { AWS_TYPES } from "../infra/stackRun.js";

const provider = testAwsProvider("7.48.0", {});
const urn = (type: string, name = "x") => `urn:pulumi:s::census-pinpoint::census-pinpoint:index:CensusPinpointStaging$${type}::${name}`;
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

async function diff(type: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
  return provider.diff!("id", urn(type), olds, news);
}

test.each([
  ["aws:s3/bucket:Bucket", { bucket: "a", region: "us-east-1" }, { bucket: "b", region: "us-east-1" }, ["bucket"]],
  ["aws:s3/bucket:Bucket", { bucket: "a", region: "us-east-1" }, { bucket: "a", region: "eu-west-1" }, ["region"]],
  ["aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", { bucket: "a", region: "us-east-1" }, { bucket: "b", region: "us-east-1" }, ["bucket"]],
  ["aws:iam/role:Role", { name: "r1", assumeRolePolicy: "{}" }, { name: "r2", assumeRolePolicy: "{}" }, ["name"]],
  ["aws:iam/policy:Policy", { name: "p", description: "old", policy: "{}" }, { name: "p", description: "new", policy: "{}" }, ["description"]],
  ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "r1", policyArn: "arn" }, { role: "r2", policyArn: "arn" }, ["role"]],
  ["aws:iam/userGroupMembership:UserGroupMembership", { user: "u1", groups: ["g"] }, { user: "u2", groups: ["g"] }, ["user"]],
  ["aws:iam/accessKey:AccessKey", { user: "u1" }, { user: "u2" }, ["user"]],
])("%s: a change of %j to %j replaces it (on %j)", async (type, olds, news, replaces) => {
  expect(await diff(type, olds, news)).toEqual({ changes: true, replaces });
});

test.each([
  ["aws:iam/user:User", { name: "u1", tags: {} }, { name: "u2", tags: {} }],
  ["aws:iam/group:Group", { name: "g1" }, { name: "g2" }],
  ["aws:iam/role:Role", { name: "r", description: "a", assumeRolePolicy: '{"Version":"2012-10-17"}' }, { name: "r", description: "b", assumeRolePolicy: '{"Version":"2012-10-17","Statement":[]}' }],
  ["aws:iam/policy:Policy", { name: "p", policy: '{"Statement":[]}' }, { name: "p", policy: '{"Statement":[{"Effect":"Allow"}]}' }],
  ["aws:s3/bucket:Bucket", { bucket: "a", region: "us-east-1", tags: { a: "1" } }, { bucket: "a", region: "us-east-1", tags: { a: "2" } }],
  ["aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", { bucket: "a", region: "us-east-1", rules: [{ expiration: { days: 7 } }] }, { bucket: "a", region: "us-east-1", rules: [{ expiration: { days: 9 } }] }],
  ["aws:iam/userGroupMembership:UserGroupMembership", { user: "u", groups: ["g1"] }, { user: "u", groups: ["g2"] }],
])("%s: a change of %j to %j is an update in place", async (type, olds, news) => {
  expect(await diff(type, olds, news)).toEqual({ changes: true, replaces: [] });
});

test("the same policy in another layout, a default left out, and equal tags are no change", async () => {
  expect(await diff("aws:iam/policy:Policy", { name: "p", policy: '{"Version":"2012-10-17","Statement":[]}', path: "/" }, { name: "p", policy: '{ "Statement": [], "Version": "2012-10-17" }' })).toEqual({
    changes: false,
    replaces: [],
  });
  expect(await diff("aws:s3/bucket:Bucket", { bucket: "a", region: "us-east-1", forceDestroy: false, tags: { a: "1" } }, { bucket: "a", region: "us-east-1", tags: { a: "1" } })).toEqual({
    changes: false,
    replaces: [],
  });
});

test("a name not known until the update (a preview) counts as a change, and a replacement where the name forces one", async () => {
  expect(await diff("aws:iam/accessKey:AccessKey", { user: "u1" }, { user: UNKNOWN })).toEqual({ changes: true, replaces: ["user"] });
  expect(changedInputs(IAM_KINDS["aws:iam/user:User"]!, { name: "u" }, { name: UNKNOWN })).toEqual(["name"]);
});

test("every resource type of the component is implemented", () => {
  expect(Object.keys({ ...S3_KINDS, ...IAM_KINDS }).sort()).toEqual(Object.values(AWS_TYPES).sort());
});
