/**
 * What the test double deploys in place of running the inline program: the resources of
 * infra/component.ts (same types, Pulumi names, parents and AWS names), with their inputs computed
 * from the stack config by the repo's own builders (dist/infra: names, validation, policies), and for
 * each resource type the AWS SDK calls the AWS provider would make. The real engine would learn the
 * resources by running the program; this list must follow component.ts when the component changes.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const DIST = new URL("../../../dist/infra/", import.meta.url);

/** The repo's pure builders, from the build: the double runs outside jest, without a TS loader. */
export async function loadInfra() {
  if (!existsSync(fileURLToPath(new URL("policies.js", DIST)))) {
    throw new Error(`pulumi double: ${fileURLToPath(DIST)} is missing: run \`npm run build\` first`);
  }
  const [names, policies, regions, validation] = await Promise.all(
    ["names.js", "policies.js", "regions.js", "validation.js"].map((file) => import(new URL(file, DIST).href)),
  );
  return { names, policies, regions, validation };
}

/** The default provider's name carries the plugin version, as the engine names it. */
function providerName() {
  const { version } = JSON.parse(readFileSync(fileURLToPath(new URL("../../../node_modules/@pulumi/aws/package.json", import.meta.url)), "utf8"));
  return `default_${version.replaceAll(".", "_")}`;
}

export const STACK_TYPE = "pulumi:pulumi:Stack";
const COMPONENT_TYPE = "census-pinpoint:index:CensusPinpointStaging";

/** `urn:pulumi:<stack>::<project>::<parent types joined by $>$<type>::<name>`, as the engine builds it. */
export function urnOf(stack, project, typeChain, name) {
  return `urn:pulumi:${stack}::${project}::${typeChain.join("$")}::${name}`;
}

/**
 * The stack's resources in declaration order (dependencies first), each `{ type, name, parent, inputs }`
 * where `parent` is the Pulumi name of the parent (undefined: the stack itself). Throws the
 * component's InvalidInputError for a bad config, as the program would.
 */
export function desiredResources({ infra, stack, project, config, accountId }) {
  const { names, policies, validation } = infra;
  const inputs = validation.validateStagingInputs({
    region: config["aws:region"] ?? "",
    pinpointProjectId: config[`${project}:pinpointProjectId`] ?? "",
    // Pulumi.yaml declares the optional keys with a "" default: empty means "computed default".
    bucketName: config[`${project}:bucketName`] || undefined,
    expirationDays: config[`${project}:expirationDays`] || undefined,
    importerRoleName: config[`${project}:importerRoleName`] || undefined,
    censusUserName: config[`${project}:censusUserName`] || undefined,
    kmsKeyArn: config[`${project}:kmsKeyArn`] || undefined,
    accessKeyGeneration: config[`${project}:accessKeyGeneration`] || undefined,
    keepPreviousAccessKey: config[`${project}:keepPreviousAccessKey`] || undefined,
  });
  const { region, partition, pinpointProjectId: projectId, kmsKeyArn } = inputs;
  const component = names.PROJECT_NAME;
  const tags = names.resourceTags(projectId);
  const bucket = inputs.bucketName ?? names.defaultBucketName(accountId, region);
  const roleName = inputs.importerRoleName ?? names.defaultImporterRoleName(projectId);
  const userName = inputs.censusUserName ?? names.defaultCensusUserName(projectId);
  const groupName = names.censusGroupName(userName);
  const roleArn = policies.iamRoleArn(partition, accountId, roleName);
  const policyArn = (name) => `arn:${partition}:iam::${accountId}:policy/${name}`;
  const json = (document) => JSON.stringify(document);
  const scope = { partition, region, accountId, projectId, bucketName: bucket, kmsKeyArn };
  const bucketName = `${component}-staging`;

  const resources = [
    { type: STACK_TYPE, name: `${project}-${stack}`, inputs: {} },
    { type: "pulumi:providers:aws", name: providerName(), inputs: { region } },
    { type: COMPONENT_TYPE, name: component, inputs: {} },
    { type: "aws:s3/bucket:Bucket", name: bucketName, parent: component, inputs: { bucket, region, partition, forceDestroy: true, tags } },
    {
      type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
      name: `${component}-staging-public-access`,
      parent: bucketName,
      inputs: { bucket, region, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
    },
    {
      type: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
      name: `${component}-staging-ownership`,
      parent: bucketName,
      inputs: { bucket, region, objectOwnership: "BucketOwnerEnforced" },
    },
    {
      type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      name: `${component}-staging-encryption`,
      parent: bucketName,
      inputs: { bucket, region, kmsKeyArn: kmsKeyArn ?? null },
    },
    {
      type: "aws:s3/bucketPolicy:BucketPolicy",
      name: `${component}-staging-tls-only`,
      parent: bucketName,
      inputs: { bucket, region, policy: json(policies.tlsOnlyBucketPolicy(scope)) },
    },
    {
      type: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      name: `${component}-staging-lifecycle`,
      parent: bucketName,
      inputs: { bucket, region, expirationDays: inputs.expirationDays },
    },
    {
      type: "aws:iam/role:Role",
      name: `${component}-importer-role`,
      parent: component,
      inputs: {
        name: roleName,
        description: `Assumed by Amazon Pinpoint to import segments for project ${projectId} from the Census staging bucket.`,
        assumeRolePolicy: json(policies.importerTrustPolicy(scope)),
        tags,
      },
    },
    {
      type: "aws:iam/policy:Policy",
      name: `${component}-importer-policy`,
      parent: `${component}-importer-role`,
      inputs: {
        name: names.importerPolicyName(roleName),
        description: "Read access to the Census staging bucket, for Amazon Pinpoint import jobs.",
        policy: json(policies.importerRolePolicy(scope)),
        tags,
      },
    },
    {
      type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      name: `${component}-importer-policy-attachment`,
      parent: `${component}-importer-role`,
      inputs: { role: roleName, policyArn: policyArn(names.importerPolicyName(roleName)) },
    },
    {
      type: "aws:iam/user:User",
      name: `${component}-census-user`,
      parent: component,
      inputs: { name: userName, forceDestroy: true, tags },
    },
    { type: "aws:iam/group:Group", name: `${component}-census-group`, parent: component, inputs: { name: groupName } },
    {
      type: "aws:iam/policy:Policy",
      name: `${component}-census-policy`,
      parent: `${component}-census-group`,
      inputs: {
        name: names.censusPolicyName(userName),
        description: `What Census needs to sync segments into Amazon Pinpoint project ${projectId}.`,
        policy: json(policies.censusAccessPolicy({ ...scope, importerRoleArn: roleArn })),
        tags,
      },
    },
    {
      type: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
      name: `${component}-census-policy-attachment`,
      parent: `${component}-census-group`,
      inputs: { group: groupName, policyArn: policyArn(names.censusPolicyName(userName)) },
    },
    {
      type: "aws:iam/userGroupMembership:UserGroupMembership",
      name: `${component}-census-membership`,
      parent: `${component}-census-user`,
      inputs: { user: userName, groups: [groupName] },
    },
    ...names.activeKeyGenerations(inputs.accessKeyGeneration, inputs.keepPreviousAccessKey).map((generation) => ({
      type: "aws:iam/accessKey:AccessKey",
      name: names.accessKeyResourceName(component, generation),
      parent: `${component}-census-user`,
      inputs: { user: userName },
    })),
  ];
  return { resources, warnings: inputs.warnings, projectId, region, partition };
}

/**
 * The stack outputs (DESIGN.md names) from the deployed resources' outputs, keyed by Pulumi name.
 * `previousAccessKeyId` exists only during a rotation: an undefined output is not exported.
 */
export function stackOutputs(deployed, { projectId, region }) {
  const find = (type) => deployed.filter((resource) => resource.type === type);
  const [bucket] = find("aws:s3/bucket:Bucket");
  const [role] = find("aws:iam/role:Role");
  const [user] = find("aws:iam/user:User");
  const keys = find("aws:iam/accessKey:AccessKey");
  const key = keys.at(-1);
  const outputs = {
    accessKeyId: key.outputs.id,
    secretAccessKey: { secret: key.outputs.secret },
    pinpointProjectId: projectId,
    stagingBucketName: bucket.outputs.bucket,
    importerRoleArn: role.outputs.arn,
    awsRegion: region,
    stagingBucketArn: bucket.outputs.arn,
    censusUserArn: user.outputs.arn,
    censusUserName: user.outputs.name,
    accessKeyCreatedAt: key.outputs.createDate,
  };
  if (keys.length > 1) outputs.previousAccessKeyId = keys[0].outputs.id;
  return outputs;
}

// ---- what the AWS provider does for each resource type ----------------------------------------------

function isNotFound(error) {
  return ["NoSuchEntity", "NoSuchEntityException", "NoSuchBucket", "NotFound", "NoSuchLifecycleConfiguration", "NoSuchPublicAccessBlockConfiguration"].includes(error?.name) || error?.$metadata?.httpStatusCode === 404;
}

/** Deleting what is already gone succeeds, as it does with the provider. */
async function ignoringNotFound(call) {
  try {
    await call();
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

const awsTags = (tags) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

async function emptyBucket(s3, Bucket) {
  for (;;) {
    const page = await s3.send(new s3.sdk.ListObjectVersionsCommand({ Bucket }));
    const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map(({ Key, VersionId }) => ({ Key, VersionId }));
    if (objects.length === 0) return;
    await s3.send(new s3.sdk.DeleteObjectsCommand({ Bucket, Delete: { Objects: objects, Quiet: true } }));
  }
}

async function putPolicyVersion(iam, arn, document) {
  // IAM keeps at most five versions; the provider prunes the oldest non-default one first.
  const { Versions = [] } = await iam.send(new iam.sdk.ListPolicyVersionsCommand({ PolicyArn: arn }));
  const old = Versions.filter((version) => !version.IsDefaultVersion).sort((a, b) => a.CreateDate - b.CreateDate);
  if (Versions.length >= 5) await iam.send(new iam.sdk.DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: old[0].VersionId }));
  await iam.send(new iam.sdk.CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: document, SetAsDefault: true }));
}

async function deletePolicy(iam, arn) {
  await ignoringNotFound(async () => {
    const { Versions = [] } = await iam.send(new iam.sdk.ListPolicyVersionsCommand({ PolicyArn: arn }));
    for (const version of Versions.filter((v) => !v.IsDefaultVersion)) {
      await iam.send(new iam.sdk.DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: version.VersionId }));
    }
    await iam.send(new iam.sdk.DeletePolicyCommand({ PolicyArn: arn }));
  });
}

/** RFC 3339 without fractions, as the provider formats `createDate`. */
const rfc3339 = (date) => new Date(date).toISOString().replace(/\.\d{3}Z$/, "Z");

const NO_AWS = { create: async () => ({}), delete: async () => {} };

/**
 * Per type: the inputs whose change forces a replacement (else a change is an in-place update),
 * create/update returning the outputs, delete, and which outputs are secret.
 */
export const KINDS = {
  [STACK_TYPE]: NO_AWS,
  "pulumi:providers:aws": NO_AWS,
  [COMPONENT_TYPE]: NO_AWS,
  "aws:s3/bucket:Bucket": {
    replaceOn: ["bucket", "region"],
    async create({ s3 }, { bucket, region, partition, tags }) {
      const location = region === "us-east-1" ? undefined : { LocationConstraint: region };
      await s3.send(new s3.sdk.CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: location }));
      await s3.send(new s3.sdk.PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: awsTags(tags) } }));
      return { id: bucket, bucket, arn: `arn:${partition}:s3:::${bucket}` };
    },
    async update({ s3 }, inputs, previous) {
      await s3.send(new s3.sdk.PutBucketTaggingCommand({ Bucket: inputs.bucket, Tagging: { TagSet: awsTags(inputs.tags) } }));
      return previous;
    },
    async delete({ s3 }, { bucket }) {
      // forceDestroy: the provider empties the bucket first.
      await ignoringNotFound(async () => {
        await emptyBucket(s3, bucket);
        await s3.send(new s3.sdk.DeleteBucketCommand({ Bucket: bucket }));
      });
    },
  },
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {
    replaceOn: ["bucket"],
    async create({ s3 }, { bucket, blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets }) {
      const PublicAccessBlockConfiguration = {
        BlockPublicAcls: blockPublicAcls,
        BlockPublicPolicy: blockPublicPolicy,
        IgnorePublicAcls: ignorePublicAcls,
        RestrictPublicBuckets: restrictPublicBuckets,
      };
      await s3.send(new s3.sdk.PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration }));
      return { id: bucket };
    },
    async delete({ s3 }, { bucket }) {
      await ignoringNotFound(() => s3.send(new s3.sdk.DeletePublicAccessBlockCommand({ Bucket: bucket })));
    },
  },
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": {
    replaceOn: ["bucket"],
    async create({ s3 }, { bucket, objectOwnership }) {
      await s3.send(new s3.sdk.PutBucketOwnershipControlsCommand({ Bucket: bucket, OwnershipControls: { Rules: [{ ObjectOwnership: objectOwnership }] } }));
      return { id: bucket };
    },
    async delete({ s3 }, { bucket }) {
      await ignoringNotFound(() => s3.send(new s3.sdk.DeleteBucketOwnershipControlsCommand({ Bucket: bucket })));
    },
  },
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": {
    replaceOn: ["bucket"],
    async create({ s3 }, { bucket, kmsKeyArn }) {
      const rule = kmsKeyArn
        ? { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: kmsKeyArn }, BucketKeyEnabled: true }
        : { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } };
      await s3.send(new s3.sdk.PutBucketEncryptionCommand({ Bucket: bucket, ServerSideEncryptionConfiguration: { Rules: [rule] } }));
      return { id: bucket };
    },
    async delete({ s3 }, { bucket }) {
      await ignoringNotFound(() => s3.send(new s3.sdk.DeleteBucketEncryptionCommand({ Bucket: bucket })));
    },
  },
  // Kept in the state but never sent to moto: moto applies a Deny statement without evaluating its
  // condition, so this TLS-only policy would block every object request there (AWS-REFERENCE.md).
  "aws:s3/bucketPolicy:BucketPolicy": { replaceOn: ["bucket"], ...NO_AWS },
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": {
    replaceOn: ["bucket"],
    async create({ s3 }, { bucket, expirationDays }) {
      const rule = {
        ID: "expire-staged-files",
        Status: "Enabled",
        Filter: { Prefix: "" },
        Expiration: { Days: expirationDays },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      };
      await s3.send(new s3.sdk.PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: [rule] } }));
      return { id: bucket };
    },
    async delete({ s3 }, { bucket }) {
      await ignoringNotFound(() => s3.send(new s3.sdk.DeleteBucketLifecycleCommand({ Bucket: bucket })));
    },
  },
  "aws:iam/role:Role": {
    replaceOn: ["name"],
    async create({ iam }, { name, description, assumeRolePolicy, tags }) {
      const { Role } = await iam.send(
        new iam.sdk.CreateRoleCommand({ RoleName: name, Description: description, AssumeRolePolicyDocument: assumeRolePolicy, Tags: awsTags(tags) }),
      );
      return { id: name, name, arn: Role.Arn };
    },
    async update({ iam }, { name, description, assumeRolePolicy, tags }, previous) {
      await iam.send(new iam.sdk.UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: assumeRolePolicy }));
      await iam.send(new iam.sdk.UpdateRoleCommand({ RoleName: name, Description: description }));
      await iam.send(new iam.sdk.TagRoleCommand({ RoleName: name, Tags: awsTags(tags) }));
      return previous;
    },
    async delete({ iam }, { name }) {
      await ignoringNotFound(() => iam.send(new iam.sdk.DeleteRoleCommand({ RoleName: name })));
    },
  },
  "aws:iam/policy:Policy": {
    replaceOn: ["name", "description"],
    async create({ iam }, { name, description, policy, tags }) {
      const { Policy } = await iam.send(new iam.sdk.CreatePolicyCommand({ PolicyName: name, Description: description, PolicyDocument: policy, Tags: awsTags(tags) }));
      return { id: Policy.Arn, arn: Policy.Arn };
    },
    async update({ iam }, { policy, tags }, previous) {
      await putPolicyVersion(iam, previous.arn, policy);
      await iam.send(new iam.sdk.TagPolicyCommand({ PolicyArn: previous.arn, Tags: awsTags(tags) }));
      return previous;
    },
    async delete({ iam }, _inputs, outputs) {
      await deletePolicy(iam, outputs.arn);
    },
  },
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
    replaceOn: ["role", "policyArn"],
    async create({ iam }, { role, policyArn }) {
      await iam.send(new iam.sdk.AttachRolePolicyCommand({ RoleName: role, PolicyArn: policyArn }));
      return { id: `${role}-${policyArn}` };
    },
    async delete({ iam }, { role, policyArn }) {
      await ignoringNotFound(() => iam.send(new iam.sdk.DetachRolePolicyCommand({ RoleName: role, PolicyArn: policyArn })));
    },
  },
  "aws:iam/user:User": {
    replaceOn: ["name"],
    async create({ iam }, { name, tags }) {
      const { User } = await iam.send(new iam.sdk.CreateUserCommand({ UserName: name, Tags: awsTags(tags) }));
      return { id: name, name, arn: User.Arn };
    },
    async update({ iam }, { name, tags }, previous) {
      await iam.send(new iam.sdk.TagUserCommand({ UserName: name, Tags: awsTags(tags) }));
      return previous;
    },
    async delete({ iam }, { name }) {
      // forceDestroy: whatever else hangs on the user (keys, group memberships) goes with it.
      await ignoringNotFound(async () => {
        const { AccessKeyMetadata = [] } = await iam.send(new iam.sdk.ListAccessKeysCommand({ UserName: name }));
        for (const key of AccessKeyMetadata) await iam.send(new iam.sdk.DeleteAccessKeyCommand({ UserName: name, AccessKeyId: key.AccessKeyId }));
        const { Groups = [] } = await iam.send(new iam.sdk.ListGroupsForUserCommand({ UserName: name }));
        for (const group of Groups) await iam.send(new iam.sdk.RemoveUserFromGroupCommand({ UserName: name, GroupName: group.GroupName }));
        await iam.send(new iam.sdk.DeleteUserCommand({ UserName: name }));
      });
    },
  },
  "aws:iam/group:Group": {
    replaceOn: ["name"],
    async create({ iam }, { name }) {
      const { Group } = await iam.send(new iam.sdk.CreateGroupCommand({ GroupName: name }));
      return { id: name, name, arn: Group.Arn };
    },
    async delete({ iam }, { name }) {
      await ignoringNotFound(() => iam.send(new iam.sdk.DeleteGroupCommand({ GroupName: name })));
    },
  },
  "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": {
    replaceOn: ["group", "policyArn"],
    async create({ iam }, { group, policyArn }) {
      await iam.send(new iam.sdk.AttachGroupPolicyCommand({ GroupName: group, PolicyArn: policyArn }));
      return { id: `${group}-${policyArn}` };
    },
    async delete({ iam }, { group, policyArn }) {
      await ignoringNotFound(() => iam.send(new iam.sdk.DetachGroupPolicyCommand({ GroupName: group, PolicyArn: policyArn })));
    },
  },
  "aws:iam/userGroupMembership:UserGroupMembership": {
    replaceOn: ["user", "groups"],
    async create({ iam }, { user, groups }) {
      for (const group of groups) await iam.send(new iam.sdk.AddUserToGroupCommand({ UserName: user, GroupName: group }));
      return { id: `${user}-membership` };
    },
    async delete({ iam }, { user, groups }) {
      for (const group of groups) await ignoringNotFound(() => iam.send(new iam.sdk.RemoveUserFromGroupCommand({ UserName: user, GroupName: group })));
    },
  },
  "aws:iam/accessKey:AccessKey": {
    replaceOn: ["user"],
    secretOutputs: ["secret"],
    async create({ iam }, { user }) {
      const { AccessKey } = await iam.send(new iam.sdk.CreateAccessKeyCommand({ UserName: user }));
      return { id: AccessKey.AccessKeyId, secret: AccessKey.SecretAccessKey, createDate: rfc3339(AccessKey.CreateDate ?? Date.now()), status: AccessKey.Status };
    },
    async delete({ iam }, { user }, outputs) {
      await ignoringNotFound(() => iam.send(new iam.sdk.DeleteAccessKeyCommand({ UserName: user, AccessKeyId: outputs.id })));
    },
  },
};

/**
 * AWS clients as the provider would build them: region from the config, credentials and endpoint
 * from the environment (AWS_ENDPOINT_URL points at moto in the tests, which needs path-style S3).
 * The SDK is imported only by commands that touch AWS, so the other commands start fast.
 */
export async function awsClients(region, partition, env) {
  // The real CLI is a Go binary: the JS SDK's Node-version notice would be the double's own noise.
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const [s3sdk, iamSdk, stsSdk] = await Promise.all([import("@aws-sdk/client-s3"), import("@aws-sdk/client-iam"), import("@aws-sdk/client-sts")]);
  const common = { region, maxAttempts: 3 };
  const s3 = new s3sdk.S3Client({ ...common, forcePathStyle: Boolean(env.AWS_ENDPOINT_URL || env.AWS_ENDPOINT_URL_S3) });
  const iam = new iamSdk.IAMClient({ ...common, region: partition === "aws-us-gov" ? "us-gov-west-1" : "us-east-1" });
  const sts = new stsSdk.STSClient(common);
  s3.sdk = s3sdk;
  iam.sdk = iamSdk;
  return {
    s3,
    iam,
    accountId: async () => (await sts.send(new stsSdk.GetCallerIdentityCommand({}))).Account,
  };
}
