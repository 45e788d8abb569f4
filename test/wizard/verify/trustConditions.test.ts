// The trust policy reading on its own: the shapes IAM policies come in (one statement or a list,
// operators with IfExists, any key case, wildcards) and what each means for Census.
import { importerTrustPolicy } from "../../../infra/trustPolicy.js";
import { analyzeTrustPolicy } from "../../../wizard/verify/trustConditions.js";

const ACCOUNT = "123456789012";
const PROJECT = "0123456789abcdef0123456789abcdef";
const APP_ARN = `arn:aws:mobiletargeting:us-east-1:${ACCOUNT}:apps/${PROJECT}`;
const expected = { accountId: ACCOUNT, appArn: APP_ARN };
const trust = (condition?: object, extra: object = {}) => ({
  Effect: "Allow",
  Principal: { Service: ["pinpoint.amazonaws.com"] },
  Action: ["sts:AssumeRole"],
  ...(condition ? { Condition: condition } : {}),
  ...extra,
});

test("the policy setup writes: trusted, restricted, and the values named", () => {
  const document = importerTrustPolicy({ partition: "aws", region: "us-east-1", accountId: ACCOUNT, projectId: PROJECT });
  expect(analyzeTrustPolicy(document, expected)).toEqual({ trustsPinpoint: true, admitted: { sourceAccounts: [ACCOUNT], sourceArns: [APP_ARN, `${APP_ARN}/*`] } });
});

test("AWS's documented form, the exact project ARN, matches, as one statement object, with IfExists and any key case", () => {
  const document = {
    Statement: trust({
      StringEqualsIfExists: { "AWS:SourceAccount": ACCOUNT },
      ArnLike: { "aws:sourcearn": APP_ARN },
    }),
  };
  expect(analyzeTrustPolicy(document, expected).conditionProblem).toBeUndefined();
});

test.each([
  [`${APP_ARN}*`, "a prefix of the project ID"],
  [`arn:aws:mobiletargeting:us-east-1:${ACCOUNT}:apps/*`, "every project of the account"],
])("a SourceArn pattern %s (%s) is refused as too wide", (pattern) => {
  const findings = analyzeTrustPolicy({ Statement: [trust({ StringEquals: { "aws:SourceAccount": ACCOUNT }, ArnLike: { "aws:SourceArn": pattern } })] }, expected);
  expect(findings.conditionProblem).toEqual({
    kind: "unrestricted",
    detail: `the aws:SourceArn pattern ${pattern} also matches other projects, such as ${APP_ARN}0 (an ID that starts with this project's), so they could use the role (the confused-deputy problem)`,
  });
});

test("only the account restricted: every project of the account could use the role", () => {
  const findings = analyzeTrustPolicy({ Statement: [trust({ StringEquals: { "aws:SourceAccount": ACCOUNT } })] }, expected);
  expect(findings.conditionProblem).toEqual({
    kind: "unrestricted",
    detail: "a statement trusting pinpoint.amazonaws.com has no aws:SourceArn condition, so Pinpoint projects elsewhere in this account could use the role (the confused-deputy problem)",
  });
});

test("a second, open statement undoes a restricted one", () => {
  const restricted = trust({ StringEquals: { "aws:SourceAccount": ACCOUNT }, ArnLike: { "aws:SourceArn": APP_ARN } });
  expect(analyzeTrustPolicy({ Statement: [restricted, trust()] }, expected).conditionProblem?.kind).toBe("unrestricted");
});

test("another account's SourceAccount excludes the project", () => {
  const findings = analyzeTrustPolicy({ Statement: [trust({ StringEquals: { "aws:SourceAccount": "111111111111" }, ArnLike: { "aws:SourceArn": APP_ARN } })] }, expected);
  expect(findings.conditionProblem?.kind).toBe("excludes-project");
  expect(findings.conditionProblem?.detail).toContain("111111111111");
});

test("Deny statements, other principals and other actions do not count as trusting Pinpoint", () => {
  for (const statement of [trust(undefined, { Effect: "Deny" }), trust(undefined, { Principal: { AWS: ACCOUNT } }), trust(undefined, { Action: "sts:TagSession" })]) {
    expect(analyzeTrustPolicy({ Statement: [statement] }, expected).trustsPinpoint).toBe(false);
  }
  expect(analyzeTrustPolicy({}, expected).trustsPinpoint).toBe(false);
  expect(analyzeTrustPolicy(null, expected).trustsPinpoint).toBe(false);
});
