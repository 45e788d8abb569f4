// Every policy reaching a role or user, with IAM's paging and URL-encoded documents (moto answers in
// one page, and hands AWS managed documents out as plain JSON, so both ways are shown here).
import {
  GetGroupPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetUserPolicyCommand,
  IAMClient,
  IAMServiceException,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupPoliciesCommand,
  ListGroupsForUserCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
} from "@aws-sdk/client-iam";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { isAwsManagedPolicyArn, parseIamDocument, policiesOf } from "../../../wizard/aws/principalPolicies.js";
import { AwsCredentialsError } from "../../../wizard/errors.js";
import type { AwsTarget } from "../../../wizard/aws/target.js";
import { AMAZON_S3_FULL_ACCESS, AMAZON_S3_READ_ONLY_ACCESS } from "./managedPolicies.js";

const ACCOUNT = "123456789012";
const admin: AwsTarget = { region: "eu-west-1", credentials: { accessKeyId: "AKIAI44QH8DHBEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" }, env: {} };
const S3_READ = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";
const S3_FULL = "arn:aws:iam::aws:policy/AmazonS3FullAccess";
const TEAM = `arn:aws:iam::${ACCOUNT}:policy/team-pinpoint`;
const TEAM_DOCUMENT = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "mobiletargeting:*", Resource: "*" }] };
const OWN_DOCUMENT = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:ChangePassword", Resource: "arn:aws:iam::*:user/${aws:username}" }] };

let iam: AwsClientStub<IAMClient>;
beforeAll(() => {
  iam = mockClient(IAMClient);
});
afterEach(() => iam.reset());
afterAll(() => iam.restore());

const encoded = (document: unknown) => encodeURIComponent(JSON.stringify(document));

function managedPolicies(documents: Record<string, { version: string; document: string }>) {
  for (const [arn, { version, document }] of Object.entries(documents)) {
    iam.on(GetPolicyCommand, { PolicyArn: arn }).resolves({ Policy: { Arn: arn, DefaultVersionId: version } });
    iam.on(GetPolicyVersionCommand, { PolicyArn: arn, VersionId: version }).resolves({ PolicyVersion: { Document: document, VersionId: version, IsDefaultVersion: true } });
  }
}

test("documents come URL-encoded from IAM, or as plain JSON from an emulator", () => {
  expect(parseIamDocument(encoded({ a: "50%" }))).toEqual({ a: "50%" });
  expect(parseIamDocument(JSON.stringify({ a: "50%" }))).toEqual({ a: "50%" });
  expect(isAwsManagedPolicyArn(S3_READ)).toBe(true);
  expect(isAwsManagedPolicyArn("arn:aws-us-gov:iam::aws:policy/AdministratorAccess")).toBe(true);
  expect(isAwsManagedPolicyArn(TEAM)).toBe(false);
});

test("a role: its inline policies and its attached ones, every page, each managed document's default version", async () => {
  iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [], IsTruncated: false });
  iam
    .on(ListAttachedRolePoliciesCommand, { RoleName: "Importer" })
    .resolvesOnce({ AttachedPolicies: [{ PolicyName: "AmazonS3ReadOnlyAccess", PolicyArn: S3_READ }], IsTruncated: true, Marker: "next" })
    .resolvesOnce({ AttachedPolicies: [{ PolicyName: "team-pinpoint", PolicyArn: TEAM }], IsTruncated: false });
  managedPolicies({ [S3_READ]: { version: "v3", document: JSON.stringify(AMAZON_S3_READ_ONLY_ACCESS) }, [TEAM]: { version: "v2", document: encoded(TEAM_DOCUMENT) } });

  expect(await policiesOf(admin, { kind: "role", name: "Importer" })).toEqual([
    { holder: { kind: "role", name: "Importer" }, kind: "managed", name: "AmazonS3ReadOnlyAccess", arn: S3_READ, awsManaged: true, document: AMAZON_S3_READ_ONLY_ACCESS },
    { holder: { kind: "role", name: "Importer" }, kind: "managed", name: "team-pinpoint", arn: TEAM, awsManaged: false, document: TEAM_DOCUMENT },
  ]);
});

test("a user: its own policies, then each group's; a managed policy reaching it twice is read once", async () => {
  iam.on(ListGroupsForUserCommand, { UserName: "dana" }).resolves({ Groups: [{ GroupName: "marketing", GroupId: "g", Arn: "a", Path: "/", CreateDate: new Date() }] });
  iam.on(ListUserPoliciesCommand, { UserName: "dana" }).resolves({ PolicyNames: ["own-credentials"] });
  iam.on(GetUserPolicyCommand, { UserName: "dana", PolicyName: "own-credentials" }).resolves({ UserName: "dana", PolicyName: "own-credentials", PolicyDocument: encoded(OWN_DOCUMENT) });
  iam.on(ListAttachedUserPoliciesCommand, { UserName: "dana" }).resolves({ AttachedPolicies: [{ PolicyName: "AmazonS3FullAccess", PolicyArn: S3_FULL }] });
  iam.on(ListGroupPoliciesCommand, { GroupName: "marketing" }).resolves({ PolicyNames: ["campaigns"] });
  iam.on(GetGroupPolicyCommand, { GroupName: "marketing", PolicyName: "campaigns" }).resolves({ GroupName: "marketing", PolicyName: "campaigns", PolicyDocument: encoded(TEAM_DOCUMENT) });
  iam.on(ListAttachedGroupPoliciesCommand, { GroupName: "marketing" }).resolves({ AttachedPolicies: [{ PolicyName: "AmazonS3FullAccess", PolicyArn: S3_FULL }] });
  managedPolicies({ [S3_FULL]: { version: "v2", document: JSON.stringify(AMAZON_S3_FULL_ACCESS) } });

  const policies = await policiesOf(admin, { kind: "user", name: "dana" });

  expect(policies.map((policy) => [policy.holder, policy.kind, policy.name])).toEqual([
    [{ kind: "user", name: "dana" }, "inline", "own-credentials"],
    [{ kind: "user", name: "dana" }, "managed", "AmazonS3FullAccess"],
    [{ kind: "group", name: "marketing" }, "inline", "campaigns"],
    [{ kind: "group", name: "marketing" }, "managed", "AmazonS3FullAccess"],
  ]);
  expect(policies[0]!.document).toEqual(OWN_DOCUMENT);
  expect(policies[3]!.document).toEqual(AMAZON_S3_FULL_ACCESS);
  expect(iam.commandCalls(GetPolicyVersionCommand)).toHaveLength(1);
});

test("a refusal is the CLI's AWS error, naming the permission", async () => {
  iam.on(ListRolePoliciesCommand).rejects(
    new IAMServiceException({
      name: "AccessDenied",
      $fault: "client",
      $metadata: { httpStatusCode: 403 },
      message: `User: arn:aws:iam::${ACCOUNT}:user/auditor is not authorized to perform: iam:ListRolePolicies on resource: role Importer`,
    }),
  );
  iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
  const refused = policiesOf(admin, { kind: "role", name: "Importer" });
  await expect(refused).rejects.toThrow(AwsCredentialsError);
  await expect(refused).rejects.toThrow(/AWS denied IAM ListRolePolicies: .* is not allowed to perform iam:ListRolePolicies/);
});
