// IAM's evaluation rules as the audit applies them to policy documents.
import { actionMatches, isAllowed, resourceMatches, statementsOf, type NamedPolicy } from "../../../wizard/audit/policyEvaluation.js";

const policy = (...Statement: object[]): NamedPolicy[] => [{ name: "p", document: { Version: "2012-10-17", Statement } }];

describe("wildcards", () => {
  test.each([
    ["s3:Get*", "s3:GetObject", true],
    ["s3:get*", "S3:GetObjectAcl", true],
    ["s3:Get*", "s3:PutObject", false],
    ["s3:*Object", "s3:DeleteObject", true],
    ["s3:?etObject", "s3:GetObject", true],
    ["*", "iam:CreateUser", true],
    ["s3:GetObject", "s3:GetObjectAcl", false],
  ])("action %s against %s: %s", (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected);
  });

  test.each([
    ["arn:aws:s3:::*", "arn:aws:s3:::finance/report.csv", true],
    ["arn:aws:s3:::census-*", "arn:aws:s3:::census-staging", true],
    ["arn:aws:s3:::census-*", "arn:aws:s3:::finance", false],
    ["arn:aws:s3:::staging/*", "arn:aws:s3:::staging", false],
    // Resources compare case-sensitively, unlike actions.
    ["arn:aws:s3:::Staging/*", "arn:aws:s3:::staging/a", false],
    ["arn:aws:mobiletargeting:*:123456789012:apps/*", "arn:aws:mobiletargeting:eu-west-1:123456789012:apps/abc", true],
    ["arn:aws:s3:::a.b", "arn:aws:s3:::aXb", false],
  ])("resource %s against %s: %s", (pattern, resource, expected) => {
    expect(resourceMatches(pattern, resource)).toBe(expected);
  });

  test("policy variables take the request's values; without one the pattern matches nothing", () => {
    const pattern = "arn:aws:iam::123456789012:user/${aws:username}";
    expect(resourceMatches(pattern, "arn:aws:iam::123456789012:user/dana", { "aws:username": "dana" })).toBe(true);
    expect(resourceMatches(pattern, "arn:aws:iam::123456789012:user/other", { "aws:username": "dana" })).toBe(false);
    expect(resourceMatches(pattern, "arn:aws:iam::123456789012:user/dana")).toBe(false);
    expect(resourceMatches("arn:aws:s3:::b/${*}", "arn:aws:s3:::b/*")).toBe(true);
    expect(resourceMatches("arn:aws:s3:::b/${*}", "arn:aws:s3:::b/x")).toBe(false);
  });
});

describe("statements", () => {
  test("one statement or a list; without a Sid, the position names it; what is not a statement is skipped", () => {
    expect(statementsOf({ Statement: { Effect: "Allow", Action: "s3:GetObject", Resource: "*" } })).toEqual([
      { label: "1", effect: "Allow", actions: { not: false, patterns: ["s3:GetObject"] }, resources: { not: false, patterns: ["*"] } },
    ]);
    const [first, second] = statementsOf({
      Statement: [{ Sid: "Read", Effect: "Deny", NotAction: ["iam:*"], NotResource: "arn:aws:s3:::b", Condition: { Bool: { "aws:SecureTransport": "false" } } }, "junk", {}],
    });
    expect(first).toEqual({
      label: "Read",
      effect: "Deny",
      actions: { not: true, patterns: ["iam:*"] },
      resources: { not: true, patterns: ["arn:aws:s3:::b"] },
      condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    expect(second).toBeUndefined();
    expect(statementsOf(undefined)).toEqual([]);
  });
});

describe("decisions", () => {
  const getOther = { action: "s3:GetObject", resource: "arn:aws:s3:::other/x" };

  test("an explicit Deny anywhere wins over an Allow", () => {
    const allow = policy({ Effect: "Allow", Action: "s3:*", Resource: "*" });
    const deny: NamedPolicy[] = [{ name: "guard", document: { Statement: [{ Effect: "Deny", Action: "s3:GetObject", Resource: "arn:aws:s3:::other/*" }] } }];
    expect(isAllowed(allow, getOther)).toBe(true);
    expect(isAllowed(allow, getOther, {}, [...allow, ...deny])).toBe(false);
  });

  test("NotAction allows everything but what it names; NotResource everywhere but where it names", () => {
    const notAction = policy({ Effect: "Allow", NotAction: ["iam:*", "organizations:*"], Resource: "*" });
    expect(isAllowed(notAction, getOther)).toBe(true);
    expect(isAllowed(notAction, { action: "iam:CreateUser", resource: "*" })).toBe(false);
    const notResource = policy({ Effect: "Allow", Action: "s3:GetObject", NotResource: "arn:aws:s3:::secret/*" });
    expect(isAllowed(notResource, getOther)).toBe(true);
    expect(isAllowed(notResource, { action: "s3:GetObject", resource: "arn:aws:s3:::secret/x" })).toBe(false);
  });

  test("an Allow under conditions counts, a Deny under conditions does not: the audit must not miss a right", () => {
    const conditional = policy(
      { Effect: "Allow", Action: "s3:GetObject", Resource: "*", Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } } },
      { Effect: "Deny", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } },
    );
    expect(isAllowed(conditional, getOther)).toBe(true);
  });

  test("a statement without Resource applies to nothing", () => {
    expect(isAllowed(policy({ Effect: "Allow", Action: "*" }), getOther)).toBe(false);
  });
});
