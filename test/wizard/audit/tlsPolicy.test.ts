// Reading a bucket policy for the TLS-only statement (Security Hub S3.5), and the policy the fix puts:
// the bucket's own statements kept, census-pinpoint's added.
import { tlsOnlyBucketPolicy } from "../../../infra/policies.js";
import { judgeTlsPolicy, policyWithTlsStatement } from "../../../wizard/audit/tlsPolicy.js";

const BUCKET = "census-staging";
const ARN = `arn:aws:s3:::${BUCKET}`;

function policy(...statements: object[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

const denyInsecure = (fields: object = {}) => ({
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: [ARN, `${ARN}/*`],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
  ...fields,
});

test("the stack's own statement is found by its Sid", () => {
  expect(judgeTlsPolicy(JSON.stringify(tlsOnlyBucketPolicy({ partition: "aws", bucketName: BUCKET })), "aws", BUCKET)).toEqual({
    required: true,
    statement: '"DenyInsecureTransport"',
  });
});

test.each([
  ["a single statement, not a list, with no Sid", JSON.stringify({ Version: "2012-10-17", Statement: denyInsecure() }), "number 1"],
  ["Principal {AWS: '*'}, BoolIfExists, a boolean false", policy(denyInsecure({ Sid: "Tls", Principal: { AWS: "*" }, Condition: { BoolIfExists: { "aws:securetransport": false } } })), '"Tls"'],
  ["one wildcard resource and the action *", policy(denyInsecure({ Sid: "All", Action: "*", Resource: `${ARN}*` })), '"All"'],
])("other spellings that deny every request without TLS: %s", (_, document, statement) => {
  expect(judgeTlsPolicy(document, "aws", BUCKET)).toEqual({ required: true, statement });
});

test.each([
  ["objects only", "Objects", { Resource: `${ARN}/*` }],
  ["one action", "Gets", { Action: "s3:GetObject" }],
  ["one principal", "Ann", { Principal: { AWS: "arn:aws:iam::123456789012:user/ann" } }],
  ["NotAction", "Except", { NotAction: "s3:GetObject" }],
])("a statement that denies insecure transport short of the whole bucket (%s) is named, not accepted", (_, Sid, fields) => {
  expect(judgeTlsPolicy(policy(denyInsecure({ Sid, ...fields })), "aws", BUCKET)).toEqual({ required: false, near: [`"${Sid}"`] });
});

test("no policy, or one that never mentions aws:SecureTransport", () => {
  expect(judgeTlsPolicy(undefined, "aws", BUCKET)).toEqual({ required: false, near: [] });
  expect(judgeTlsPolicy(policy({ Sid: "Read", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "s3:GetObject", Resource: `${ARN}/*` }), "aws", BUCKET)).toEqual({
    required: false,
    near: [],
  });
});

test("the fix keeps the bucket's statements and its Id, and replaces a statement of the same Sid", () => {
  const read = { Sid: "Read", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "s3:GetObject", Resource: `${ARN}/*` };
  const stale = denyInsecure({ Sid: "DenyInsecureTransport", Resource: `${ARN}/*` });
  const existing = JSON.stringify({ Version: "2012-10-17", Id: "staging", Statement: [read, stale] });

  expect(policyWithTlsStatement(existing, "aws", BUCKET)).toEqual({
    Version: "2012-10-17",
    Id: "staging",
    Statement: [read, tlsOnlyBucketPolicy({ partition: "aws", bucketName: BUCKET }).Statement[0]],
  });
  expect(policyWithTlsStatement(undefined, "aws-us-gov", BUCKET)).toEqual(tlsOnlyBucketPolicy({ partition: "aws-us-gov", bucketName: BUCKET }));
});
