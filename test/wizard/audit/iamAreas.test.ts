// The importer role and Census's identity where AWS has what moto lacks, with aws-sdk-client-mock:
// the policy simulator confirming a finding, a root key, temporary credentials, and a user of
// Census's own whose extra rights may be taken away (the moto suite covers a person's user).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupPoliciesCommand,
  ListGroupsForUserCommand,
  ListMFADevicesCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
  NoSuchEntityException,
  SimulatePrincipalPolicyCommand,
  type SimulatePrincipalPolicyCommandInput,
} from "@aws-sdk/client-iam";
import { ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { auditCensusIdentity } from "../../../wizard/audit/identityAudit.js";
import type { AuditOptions, AuditSubject } from "../../../wizard/audit/report.js";
import { auditImporterRole } from "../../../wizard/audit/roleAudit.js";
import { ADMINISTRATOR_ACCESS, AMAZON_S3_READ_ONLY_ACCESS } from "./managedPolicies.js";

const ACCOUNT = "123456789012";
const PROJECT = "0123456789abcdef0123456789abcdef";
const BUCKET = "census-pinpoint-staging-acme";
const ROLE = "CensusPinpointImporter";
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${ROLE}`;
const USER = "census-sync";
const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/${USER}`;
const EXAMPLE_KEY = { accessKeyId: "AKIAI44QH8DHBEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
const S3_READ = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";
const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
const NOW = Date.parse("2026-06-01T00:00:00Z");

const options: AuditOptions = { onProgress: () => {}, now: NOW };

function subject(census: AuditSubject["census"]): AuditSubject {
  return { region: "eu-west-1", projectId: PROJECT, bucketName: BUCKET, importerRoleArn: ROLE_ARN, census, admin: { region: "eu-west-1", credentials: EXAMPLE_KEY, env: {} } };
}

let iam: AwsClientStub<IAMClient>;
let s3: AwsClientStub<S3Client>;
let sts: AwsClientStub<STSClient>;
beforeAll(() => {
  iam = mockClient(IAMClient);
  s3 = mockClient(S3Client);
  sts = mockClient(STSClient);
});
afterEach(() => {
  iam.reset();
  s3.reset();
  sts.reset();
});
afterAll(() => {
  iam.restore();
  s3.restore();
  sts.restore();
});

const encoded = (document: unknown) => encodeURIComponent(JSON.stringify(document));
const noSuchEntity = (message: string) => new NoSuchEntityException({ $metadata: { httpStatusCode: 404 }, message });

function managed(arn: string, document: unknown) {
  iam.on(GetPolicyCommand, { PolicyArn: arn }).resolves({ Policy: { Arn: arn, DefaultVersionId: "v1" } });
  iam.on(GetPolicyVersionCommand, { PolicyArn: arn }).resolves({ PolicyVersion: { Document: encoded(document), VersionId: "v1" } });
}

/** The simulator allows what `allowed` says, for the principal it is asked about. */
function simulator(allowed: (action: string, resource: string) => boolean) {
  iam.on(SimulatePrincipalPolicyCommand).callsFake((input: SimulatePrincipalPolicyCommandInput) => ({
    EvaluationResults: input.ActionNames!.flatMap((action) =>
      input.ResourceArns!.map((resource) => ({ EvalActionName: action, EvalResourceName: resource, EvalDecision: allowed(action, resource) ? "allowed" : "implicitDeny" })),
    ),
  }));
}

describe("the importer role, with the simulator", () => {
  beforeEach(() => {
    const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "pinpoint.amazonaws.com" }, Action: "sts:AssumeRole" }] };
    iam.on(GetRoleCommand, { RoleName: ROLE }).resolves({ Role: { RoleName: ROLE, Arn: ROLE_ARN, AssumeRolePolicyDocument: encoded(trust), Path: "/", RoleId: "r", CreateDate: new Date() } });
    iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [] });
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyName: "AmazonS3ReadOnlyAccess", PolicyArn: S3_READ }] });
    managed(S3_READ, AMAZON_S3_READ_ONLY_ACCESS);
    s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: BUCKET }, { Name: "finance-exports" }, { Name: "website-assets" }, { Name: "backups" }] });
  });

  test("the simulator confirms AmazonS3ReadOnlyAccess reads all 4 buckets: the finding says simulated", async () => {
    simulator(() => true);
    const area = await auditImporterRole(subject({ kind: "user", userName: USER }), options);
    const finding = area.findings.find((candidate) => candidate.id === "role-policy-every-bucket")!;
    expect(finding.problem).toMatch(/^The AWS managed policy AmazonS3ReadOnlyAccess lets Pinpoint's role read all 4 buckets of this account\./);
    expect(finding.method).toBe("simulated");
    expect(finding.evidence).toContain("IAM's policy simulator: s3:GetObject on arn:aws:s3:::any-other-bucket/any-object → allowed");
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)[0]!.args[0].input.PolicySourceArn).toBe(ROLE_ARN);
  });

  test("the simulator refuses (a permissions boundary): no finding on the policy, and a line that says why", async () => {
    simulator(() => false);
    const area = await auditImporterRole(subject({ kind: "user", userName: USER }), options);
    expect(area.findings.map((finding) => finding.id)).toEqual(["role-trust-unconditioned"]);
    expect(area.passed).toContain(
      "The AWS managed policy AmazonS3ReadOnlyAccess allows more than reading the staging bucket, but IAM's policy simulator refuses it to the role (a permissions boundary or a Deny stops it)",
    );
  });
});

test("a role with no policy at all cannot read the staged files: a finding with the policy to put", async () => {
  const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "pinpoint.amazonaws.com" }, Action: "sts:AssumeRole" }] };
  iam.on(GetRoleCommand).resolves({ Role: { RoleName: ROLE, Arn: ROLE_ARN, AssumeRolePolicyDocument: encoded(trust), Path: "/", RoleId: "r", CreateDate: new Date() } });
  iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [] });
  iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
  const area = await auditImporterRole(subject({ kind: "user", userName: USER }), options);
  const finding = area.findings.find((candidate) => candidate.id === "role-cannot-read-staging")!;
  expect(finding.problem).toBe(
    `No policy of role ${ROLE} lets Pinpoint call s3:GetObject on arn:aws:s3:::${BUCKET}/staged-file.csv or s3:ListBucket on arn:aws:s3:::${BUCKET}, so imports from the staging bucket fail.`,
  );
  expect(finding.fix).toContain(`aws iam put-role-policy --role-name ${ROLE} --policy-name CensusPinpointStagingRead --policy-document '`);
  expect(iam.commandCalls(SimulatePrincipalPolicyCommand)).toHaveLength(0);
});

describe("whose key Census holds", () => {
  let dir: string;
  const saved = { ...process.env };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "census-pinpoint-audit-"));
    writeFileSync(join(dir, "credentials"), `[census]\naws_access_key_id = ${EXAMPLE_KEY.accessKeyId}\naws_secret_access_key = ${EXAMPLE_KEY.secretAccessKey}\n`);
    Object.assign(process.env, { AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"), AWS_CONFIG_FILE: join(dir, "config"), CENSUS_PINPOINT_HOME: join(dir, "home") });
  });
  afterEach(() => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
    rmSync(dir, { recursive: true, force: true });
  });

  test("IAM places the key with its user, so the key itself is never used (its last use stays Census's)", async () => {
    iam.on(GetAccessKeyLastUsedCommand, { AccessKeyId: EXAMPLE_KEY.accessKeyId }).resolves({ UserName: USER, AccessKeyLastUsed: { ServiceName: "N/A", Region: "N/A" } });
    iam.on(ListAccessKeysCommand, { UserName: USER }).resolves({ AccessKeyMetadata: [{ AccessKeyId: EXAMPLE_KEY.accessKeyId, Status: "Active", CreateDate: new Date(NOW), UserName: USER }] });
    iam.on(GetUserCommand).rejects(noSuchEntity(`The user with name ${USER} cannot be found.`));
    const area = await auditCensusIdentity(subject({ kind: "key-profile", profile: "census" }), options);
    expect(area.skipped).toBe(`there is no IAM user ${USER} in account ${ACCOUNT}`);
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(0);
  });

  test("a root user's key is critical (IAM.4), and the fix never keeps it", async () => {
    // IAM may name an owner for a root key; the owner's own key list settles that it is no user's.
    iam.on(GetAccessKeyLastUsedCommand).resolves({ UserName: "root", AccessKeyLastUsed: { ServiceName: "s3", Region: "eu-west-1", LastUsedDate: new Date(NOW) } });
    iam.on(ListAccessKeysCommand).rejects(noSuchEntity("The user with name root cannot be found."));
    sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root`, UserId: ACCOUNT });
    const area = await auditCensusIdentity(subject({ kind: "key-profile", profile: "census" }), options);
    expect(area.findings).toEqual([
      expect.objectContaining({ id: "census-key-root", severity: "critical", control: "IAM.4", method: "api", evidence: [`STS GetCallerIdentity with the key: arn:aws:iam::${ACCOUNT}:root`] }),
    ]);
    expect(area.findings[0]!.problem).toContain(`Census's key (${EXAMPLE_KEY.accessKeyId}, in AWS profile "census") is an access key of the root user`);
    expect(area.findings[0]!.fix).toMatch(/^Run `census-pinpoint adopt`/);
  });

  test("temporary credentials of a role expire: their own finding", async () => {
    iam.on(GetAccessKeyLastUsedCommand).rejects(noSuchEntity("The Access Key with id ASIA is not a key of this account."));
    sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/DataTeam/dana`, UserId: "AROA:dana" });
    const area = await auditCensusIdentity(subject({ kind: "key-profile", profile: "census" }), options);
    expect(area.findings.map((finding) => [finding.id, finding.severity])).toEqual([["census-key-temporary", "medium"]]);
    expect(area.findings[0]!.problem).toContain("temporary credentials of role DataTeam");
  });

  test("a key of another account is not audited against this one", async () => {
    iam.on(GetAccessKeyLastUsedCommand).rejects(noSuchEntity("not found"));
    sts.on(GetCallerIdentityCommand).resolves({ Account: "444455556666", Arn: "arn:aws:iam::444455556666:user/census", UserId: "AIDA" });
    const area = await auditCensusIdentity(subject({ kind: "key-profile", profile: "census" }), options);
    expect(area).toMatchObject({ findings: [], skipped: `the key in AWS profile "census" belongs to AWS account 444455556666, and the importer role to ${ACCOUNT}` });
  });
});

describe("a user of Census's own with an administrator's rights", () => {
  beforeEach(() => {
    iam.on(GetUserCommand, { UserName: USER }).resolves({ User: { UserName: USER, Arn: USER_ARN, UserId: "u", Path: "/", CreateDate: new Date() } });
    iam.on(GetLoginProfileCommand).rejects(noSuchEntity(`Login profile for ${USER} not found`));
    iam.on(ListMFADevicesCommand).resolves({ MFADevices: [] });
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [{ AccessKeyId: EXAMPLE_KEY.accessKeyId, Status: "Active", CreateDate: new Date("2026-04-02T00:00:00Z"), UserName: USER }] });
    iam.on(GetAccessKeyLastUsedCommand).resolves({ UserName: USER, AccessKeyLastUsed: { LastUsedDate: new Date("2026-05-30T00:00:00Z"), ServiceName: "s3", Region: "eu-west-1" } });
    iam.on(ListGroupsForUserCommand).resolves({ Groups: [{ GroupName: "admins", GroupId: "g", Arn: "a", Path: "/", CreateDate: new Date() }] });
    iam.on(ListUserPoliciesCommand).resolves({ PolicyNames: ["sync"] });
    iam.on(GetUserPolicyCommand).resolves({ UserName: USER, PolicyName: "sync", PolicyDocument: encoded({ Statement: [{ Effect: "Allow", Action: "s3:PutObject", Resource: `arn:aws:s3:::${BUCKET}/*` }] }) });
    iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [] });
    iam.on(ListGroupPoliciesCommand).resolves({ PolicyNames: [] });
    iam.on(ListAttachedGroupPoliciesCommand, { GroupName: "admins" }).resolves({ AttachedPolicies: [{ PolicyName: "AdministratorAccess", PolicyArn: ADMIN }] });
    managed(ADMIN, ADMINISTRATOR_ACCESS);
    simulator(() => true);
  });

  test("administrator first, confirmed by the simulator; the fix takes away exactly what grants it", async () => {
    const area = await auditCensusIdentity(subject({ kind: "user", userName: USER }), options);

    expect(area.skipped).toBeUndefined();
    expect(area.findings.map((finding) => [finding.id, finding.severity, finding.control, finding.method])).toEqual([
      ["census-key-administrator", "critical", undefined, "simulated"],
      ["census-user-direct-policies", "medium", "IAM.2", "api"],
    ]);
    const [administrator, direct] = area.findings;
    expect(administrator!.problem).toBe(
      `Census's key (user ${USER}) may do anything in this AWS account (every action on every resource): it is an administrator. Census needs only the staging bucket ${BUCKET}, project ${PROJECT} and passing the importer role.`,
    );
    expect(administrator!.evidence).toContain(`The AWS managed policy AdministratorAccess (through group admins) (${ADMIN})`);
    expect(administrator!.fix.split("\n")).toEqual([
      "Give the user only what Census needs, through a group, then take away what grants more (each command names exactly one policy or group):",
      `aws iam create-group --group-name ${USER}-census`,
      expect.stringMatching(new RegExp(`^aws iam put-group-policy --group-name ${USER}-census --policy-name CensusPinpointAccess --policy-document '\\{"Version":"2012-10-17"`)),
      `aws iam add-user-to-group --group-name ${USER}-census --user-name ${USER}`,
      `aws iam remove-user-from-group --group-name admins --user-name ${USER}`,
      expect.stringMatching(/^Or run `census-pinpoint adopt`/),
    ]);
    expect(direct!.fix).toContain(`aws iam delete-user-policy --user-name ${USER} --policy-name 'sync'`);
    expect(area.passed).toEqual([
      `Census's key belongs to IAM user ${USER} (named by --census-user; each of its keys is reviewed)`,
      `User ${USER} has no console password and no MFA device: no person signs in as it`,
      `Access key ${EXAMPLE_KEY.accessKeyId}: created 2026-04-02T00:00:00.000Z (60 days ago), active; last used 2026-05-30T00:00:00.000Z (2 days ago) with s3 in eu-west-1`,
    ]);
  });
});
