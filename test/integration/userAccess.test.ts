// status's look at what reaches the Census user beyond its stack's group: the component's IAM side
// built in moto, the state's record of it as status reads it, then access added by hand as a person
// would add it.
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  IAMClient,
  PutGroupPolicyCommand,
  PutUserPolicyCommand,
} from "@aws-sdk/client-iam";
import { censusGroupName, censusPolicyName } from "../../infra/names.js";
import { extraAccessOf } from "../../wizard/aws/userAccess.js";
import { recordedAccess, type StackState } from "../../wizard/pulumi/stackState.js";
import type { AwsTarget } from "../../wizard/aws/target.js";
import { DUMMY_CREDENTIALS, MOTO_ACCOUNT_ID, useMoto } from "../helpers/moto.js";

const admin: AwsTarget = { region: "eu-west-1", credentials: DUMMY_CREDENTIALS, env: process.env };
const USER = "census-pinpoint-01234567";
const GROUP = censusGroupName(USER);
const CENSUS_POLICY = `arn:aws:iam::${MOTO_ACCOUNT_ID}:policy/${censusPolicyName(USER)}`;
const EXTRA_POLICY = `arn:aws:iam::${MOTO_ACCOUNT_ID}:policy/ExtraS3Access`;
const DOCUMENT = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] });

/** The state's records status reads, as the component leaves them (other resources left out). */
const STATE: StackState = {
  resources: [
    { urn: "urn:membership", type: "aws:iam/userGroupMembership:UserGroupMembership", inputs: {}, outputs: { user: USER, groups: [GROUP] } },
    { urn: "urn:attachment", type: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment", inputs: {}, outputs: { group: GROUP, policyArn: CENSUS_POLICY } },
    { urn: "urn:other-user", type: "aws:iam/userGroupMembership:UserGroupMembership", inputs: {}, outputs: { user: "someone-else", groups: ["others"] } },
  ],
  pendingCreates: [],
};

useMoto();

async function withIam(run: (iam: IAMClient) => Promise<void>): Promise<void> {
  const iam = new IAMClient(admin);
  try {
    await run(iam);
  } finally {
    iam.destroy();
  }
}

async function censusUserAsTheStackMadeIt(): Promise<void> {
  await withIam(async (iam) => {
    await iam.send(new CreateUserCommand({ UserName: USER }));
    await iam.send(new CreateGroupCommand({ GroupName: GROUP }));
    await iam.send(new CreatePolicyCommand({ PolicyName: censusPolicyName(USER), PolicyDocument: DOCUMENT }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: GROUP, PolicyArn: CENSUS_POLICY }));
    await iam.send(new AddUserToGroupCommand({ GroupName: GROUP, UserName: USER }));
  });
}

test("the state records the Census user's group and that group's policy", () => {
  expect(recordedAccess(STATE, USER)).toEqual({ userName: USER, groups: [{ name: GROUP, policyArns: [CENSUS_POLICY] }] });
});

test("a Census user as the stack made it has nothing extra", async () => {
  await censusUserAsTheStackMadeIt();
  expect(await extraAccessOf(admin, recordedAccess(STATE, USER))).toEqual([]);
});

test("a policy attached to the user, an inline policy, another group, and more on the stack's group are each found", async () => {
  await censusUserAsTheStackMadeIt();
  await withIam(async (iam) => {
    await iam.send(new CreatePolicyCommand({ PolicyName: "ExtraS3Access", PolicyDocument: DOCUMENT }));
    await iam.send(new AttachUserPolicyCommand({ UserName: USER, PolicyArn: EXTRA_POLICY }));
    await iam.send(new PutUserPolicyCommand({ UserName: USER, PolicyName: "debugging", PolicyDocument: DOCUMENT }));
    await iam.send(new CreateGroupCommand({ GroupName: "data-team" }));
    await iam.send(new AddUserToGroupCommand({ GroupName: "data-team", UserName: USER }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: GROUP, PolicyArn: EXTRA_POLICY }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: GROUP, PolicyName: "more", PolicyDocument: DOCUMENT }));
  });

  expect(await extraAccessOf(admin, recordedAccess(STATE, USER))).toEqual([
    { kind: "user-managed-policy", userName: USER, policyArn: EXTRA_POLICY, policyName: "ExtraS3Access" },
    { kind: "user-inline-policy", userName: USER, policyName: "debugging" },
    { kind: "user-group", userName: USER, groupName: "data-team" },
    { kind: "group-managed-policy", groupName: GROUP, policyArn: EXTRA_POLICY, policyName: "ExtraS3Access" },
    { kind: "group-inline-policy", groupName: GROUP, policyName: "more" },
  ]);
});

test("a Census user or group that is gone has nothing extra (the refresh reports it gone)", async () => {
  expect(await extraAccessOf(admin, recordedAccess(STATE, USER))).toEqual([]);
});
