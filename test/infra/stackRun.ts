/**
 * Runs the real stack program (infra/stack.ts) under the mock harness for one configuration and waits
 * until every resource has reached the mocks, so one test file can run several configurations in turn.
 */
import * as pulumi from "@pulumi/pulumi";
import { byType, installMocks, oneOfType, resolve, settle, TEST_PROJECT_ID, type MockRun } from "../helpers/pulumiMocks.js";
import type { CensusPinpointStagingArgs } from "../../infra/component.js";
import type { PolicyDocument } from "../../infra/policies.js";

export const AWS_TYPES = {
  bucket: "aws:s3/bucket:Bucket",
  publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  role: "aws:iam/role:Role",
  policy: "aws:iam/policy:Policy",
  rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  user: "aws:iam/user:User",
  group: "aws:iam/group:Group",
  groupPolicyAttachment: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
  membership: "aws:iam/userGroupMembership:UserGroupMembership",
  accessKey: "aws:iam/accessKey:AccessKey",
} as const;

export interface ResolvedOutput {
  value: unknown;
  secret: boolean;
}

export interface StackRun extends MockRun {
  outputs: Record<string, ResolvedOutput>;
  warnings: string[];
}

/** Config for a stack in `region`; `extra` keys are in the census-pinpoint namespace. */
export function stackConfig(region: string, extra: Record<string, string> = {}, projectId = TEST_PROJECT_ID): Record<string, string> {
  const config: Record<string, string> = { "aws:region": region, "census-pinpoint:pinpointProjectId": projectId };
  for (const [key, value] of Object.entries(extra)) config[`census-pinpoint:${key}`] = value;
  return config;
}

// Resources that depend on other resources' outputs register later than the outputs resolve; a run
// is over when a few more turns of the event loop bring no new registration. Without this, a late
// registration would land in the next configuration's capture.
async function untilQuiet(run: MockRun): Promise<void> {
  let seen: number;
  do {
    seen = run.resources.length;
    await settle();
  } while (run.resources.length !== seen);
}

export async function runStack(config: Record<string, string>): Promise<StackRun> {
  const run = installMocks(config);
  // In a real run warnings go to the engine; here they are collected, and nothing is printed.
  const warnings: string[] = [];
  const engineWarn = pulumi.log.warn;
  pulumi.log.warn = async (message: string) => void warnings.push(message);
  let outputs: Record<string, pulumi.Output<unknown>>;
  try {
    const { censusPinpointStack } = await import("../../infra/stack.js");
    outputs = censusPinpointStack();
  } finally {
    pulumi.log.warn = engineWarn;
  }
  const resolved: Record<string, ResolvedOutput> = {};
  for (const [name, output] of Object.entries(outputs)) resolved[name] = await resolve(output);
  await untilQuiet(run);
  return { ...run, outputs: resolved, warnings };
}

/**
 * Runs a configuration that should be refused: what it threw, and what reached the mocks anyway.
 * `args` are component arguments that have no config key (the account ID).
 */
export async function runRejectedStack(config: Record<string, string>, args: Partial<CensusPinpointStagingArgs> = {}): Promise<{ error: unknown; run: MockRun }> {
  const run = installMocks(config);
  const { censusPinpointStack } = await import("../../infra/stack.js");
  let error: unknown;
  try {
    censusPinpointStack(args);
  } catch (thrown) {
    error = thrown;
  }
  await untilQuiet(run);
  return { error, run };
}

export interface DeployedPolicies {
  importerTrust: PolicyDocument;
  /** The policies attached to the importer role. */
  importer: PolicyDocument[];
  /** The policies attached to the group the Census user belongs to. */
  census: PolicyDocument[];
  bucket: PolicyDocument;
}

/**
 * The policy documents as the program handed them to the provider, found by what they are attached
 * to (not by logical name), so a policy created but attached elsewhere would not count.
 */
export function deployedPolicies(run: MockRun): DeployedPolicies {
  const policyDocument = (arn: string): PolicyDocument => {
    const policy = byType(run, AWS_TYPES.policy).find((p) => p.state.arn === arn);
    if (!policy) throw new Error(`no policy with ARN ${arn} was created`);
    return JSON.parse(policy.inputs.policy);
  };
  const role = oneOfType(run, AWS_TYPES.role);
  const user = oneOfType(run, AWS_TYPES.user);
  const userGroups = byType(run, AWS_TYPES.membership)
    .filter((m) => m.inputs.user === user.inputs.name)
    .flatMap((m) => m.inputs.groups as string[]);
  return {
    importerTrust: JSON.parse(role.inputs.assumeRolePolicy),
    importer: byType(run, AWS_TYPES.rolePolicyAttachment)
      .filter((a) => a.inputs.role === role.inputs.name)
      .map((a) => policyDocument(a.inputs.policyArn)),
    census: byType(run, AWS_TYPES.groupPolicyAttachment)
      .filter((a) => userGroups.includes(a.inputs.group))
      .map((a) => policyDocument(a.inputs.policyArn)),
    bucket: JSON.parse(oneOfType(run, AWS_TYPES.bucketPolicy).inputs.policy),
  };
}
