// `pulumi up` as infrastructure-as-code users run it (README, "With `pulumi up`"): from a clone,
// through Pulumi.yaml and the Node.js language host, on the real engine. The policy pack passes a
// stack made with the defaults and stops one that breaks a rule; `protect` (on by default) turns an
// update that would replace the bucket into an error until the user turns it off, yet lets a key
// rotation through; a stack made when the default bucket name had no project in it keeps its bucket.
// The pack also stops a policy added beside the component before anything is made. A clone needs only
// what `npm ci --omit=dev` installs; another project imports the component from the package, with the
// pack the package ships; a refused config value or argument is one error line, without a stack trace.
import { GetRoleCommand, ListAccessKeysCommand } from "@aws-sdk/client-iam";
import { GetBucketLifecycleConfigurationCommand, HeadBucketCommand } from "@aws-sdk/client-s3";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { installPacked } from "../helpers/packedPackage.js";
import { useE2e } from "./harness.js";
import { iacClone, pulumiProject, type IacClone, type IacCloneOptions } from "./iacClone.js";

const REGION = "us-east-2";
const ACCOUNT = "123456789012";
const e2e = useE2e();

/** A fresh clone with a stack `prod` for a new Pinpoint project, configured as the README says. */
async function configuredClone(config: Record<string, string> = {}, options: IacCloneOptions = {}): Promise<{ clone: IacClone; projectId: string }> {
  await e2e.reset();
  const projectId = await e2e.createPinpointProject(REGION, "IaC");
  const clone = iacClone(e2e, options);
  clone.ok(["stack", "init", "prod"]);
  for (const [key, value] of Object.entries({ "aws:region": REGION, pinpointProjectId: projectId, ...config })) clone.ok(["config", "set", key, value]);
  return { clone, projectId };
}

function outputs(clone: IacClone): Record<string, string> {
  return JSON.parse(clone.ok(["stack", "output", "--json", "--show-secrets"])) as Record<string, string>;
}

async function lifecycleDays(bucket: string): Promise<number | undefined> {
  const lifecycle = await e2e.aws(REGION).s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
  return lifecycle.Rules?.[0]?.Expiration?.Days;
}

test("with --policy-pack policy, a stack of defaults is created and passes the pack; Census's values are its outputs", async () => {
  const { clone, projectId } = await configuredClone();

  const up = clone.pulumi(["up", "--yes", "--skip-preview", "--policy-pack", "policy"]);
  expect(up.stderr).toBe("");
  expect(up.status).toBe(0);
  expect(up.stdout).toMatch(/✅ census-pinpoint-posture@v0\.1\.0 \(local: policy\)/);

  const values = outputs(clone);
  expect(values).toMatchObject({
    pinpointProjectId: projectId,
    awsRegion: REGION,
    stagingBucketName: `census-pinpoint-staging-${projectId.slice(0, 8)}-${ACCOUNT}-${REGION}`,
    importerRoleArn: `arn:aws:iam::${ACCOUNT}:role/CensusPinpointSegmentImporter-${projectId.slice(0, 8)}`,
    accessKeyId: expect.stringMatching(/^AKIA[A-Z0-9]{16}$/),
    secretAccessKey: expect.stringMatching(/^[A-Za-z0-9/+]{40}$/),
  });
  expect(await lifecycleDays(values.stagingBucketName!)).toBe(7);
}, 240_000);

test("the policy pack stops an update that breaks a rule: exit 1, the rule and its limit named, the bucket's lifecycle unchanged", async () => {
  const { clone } = await configuredClone();
  clone.ok(["up", "--yes", "--skip-preview"]);
  const bucket = outputs(clone).stagingBucketName!;
  const packConfig = join(clone.dir, "policy-config.json");
  writeFileSync(packConfig, JSON.stringify({ "s3-lifecycle-expiration-bounded": { maxExpirationDays: 30 } }));
  clone.ok(["config", "set", "expirationDays", "60"]);

  const stopped = clone.pulumi(["up", "--yes", "--skip-preview", "--policy-pack", "policy", "--policy-pack-config", packConfig]);
  expect(stopped.status).toBe(1);
  expect(stopped.stdout).toMatch(/❌ census-pinpoint-posture@v0\.1\.0 \(local: policy\)/);
  expect(stopped.stdout).toMatch(/\[mandatory\] +s3-lifecycle-expiration-bounded/);
  expect(stopped.stdout).toContain(`The lifecycle configuration of bucket "${bucket}" expires objects only after 60 days`);
  expect(stopped.stdout).toContain("expiration.days between 1 and 30");
  expect(await lifecycleDays(bucket)).toBe(7);
}, 240_000);

test("the policy pack stops AmazonS3ReadOnlyAccess attached to the importer role beside the component, in the preview: nothing is made", async () => {
  const { clone, projectId } = await configuredClone();
  const roleName = `CensusPinpointSegmentImporter-${projectId.slice(0, 8)}`;
  // Census's guide's advice, added by a program beside the component.
  writeFileSync(
    join(clone.dir, "infra/program.ts"),
    [
      'import * as iam from "@pulumi/aws/iam/index.js";',
      'import { censusPinpointStack } from "./stack.js";',
      `new iam.RolePolicyAttachment("guide-s3-read", { role: "${roleName}", policyArn: "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" });`,
      "export default censusPinpointStack();",
    ].join("\n"),
  );

  const stopped = clone.pulumi(["up", "--yes", "--policy-pack", "policy"]);
  expect(stopped.status).toBe(1);
  expect(stopped.stdout).toMatch(/\[mandatory\] +iam-component-policies-only/);
  expect(stopped.stdout).toContain(`aws.iam.RolePolicyAttachment "guide-s3-read" gives the role "${roleName}" of component "census-pinpoint"`);
  await expect(e2e.aws(REGION).iam.send(new GetRoleCommand({ RoleName: roleName }))).rejects.toMatchObject({ name: "NoSuchEntityException" });
}, 240_000);

test("protect (the default) turns a rename of the bucket into an error that deletes nothing; with protect false the rename goes through", async () => {
  const { clone } = await configuredClone();
  clone.ok(["up", "--yes", "--skip-preview"]);
  const state = JSON.parse(clone.ok(["stack", "export"])) as { deployment: { resources: Array<{ type: string; protect?: boolean }> } };
  const protectedTypes = state.deployment.resources.filter((resource) => resource.protect).map((resource) => resource.type);
  // The bucket's settings and the user's group membership inherit it from their parents.
  expect(protectedTypes.sort()).toEqual([
    "aws:iam/accessKey:AccessKey",
    "aws:iam/user:User",
    "aws:iam/userGroupMembership:UserGroupMembership",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  ]);
  const bucket = outputs(clone).stagingBucketName!;

  clone.ok(["config", "set", "bucketName", `${bucket}-renamed`]);
  const refused = clone.pulumi(["up", "--yes", "--skip-preview"]);
  expect(refused.status).toBe(1);
  expect(refused.stdout).toMatch(/unable to replace resource "urn:pulumi:prod::census-pinpoint::[^"]*aws:s3\/bucket:Bucket::[^"]*"\s+as it is currently marked for protection/);
  await expect(e2e.aws(REGION).s3.send(new HeadBucketCommand({ Bucket: bucket }))).resolves.toBeDefined();
  expect(outputs(clone).stagingBucketName).toBe(bucket);

  clone.ok(["config", "set", "protect", "false"]);
  clone.ok(["up", "--yes", "--skip-preview"]);
  expect(outputs(clone).stagingBucketName).toBe(`${bucket}-renamed`);
}, 240_000);

async function userKeys(userName: string): Promise<string[]> {
  const listed = await e2e.aws(REGION).iam.send(new ListAccessKeysCommand({ UserName: userName }));
  return (listed.AccessKeyMetadata ?? []).map((key) => key.AccessKeyId!).sort();
}

test("protect lets a two-phase key rotation through (config accessKeyGeneration, keepPreviousAccessKey) and refuses one that drops Census's key at once", async () => {
  const { clone } = await configuredClone();
  clone.ok(["up", "--yes", "--skip-preview"]);
  const first = outputs(clone);
  const user = first.censusUserName!;

  clone.ok(["config", "set", "accessKeyGeneration", "2"]);
  const dropped = clone.pulumi(["up", "--yes", "--skip-preview"]);
  expect(dropped.status).toBe(1);
  expect(dropped.stdout).toMatch(/resource "[^"]*aws:iam\/accessKey:AccessKey::census-pinpoint-census-key" cannot be deleted\s+because it is protected/);
  expect(await userKeys(user)).toContain(first.accessKeyId);

  clone.ok(["config", "set", "keepPreviousAccessKey", "true"]);
  clone.ok(["up", "--yes", "--skip-preview"]);
  const rotating = outputs(clone);
  expect(rotating.previousAccessKeyId).toBe(first.accessKeyId);
  expect(await userKeys(user)).toEqual([first.accessKeyId, rotating.accessKeyId].sort());

  clone.ok(["config", "set", "keepPreviousAccessKey", "false"]);
  clone.ok(["up", "--yes", "--skip-preview"]);
  expect(await userKeys(user)).toEqual([rotating.accessKeyId]);
}, 300_000);

test("a default bucket name never renames an existing bucket: a stack made with the old default keeps it", async () => {
  const oldDefault = `census-pinpoint-staging-${ACCOUNT}-${REGION}`;
  const { clone } = await configuredClone({ bucketName: oldDefault });
  clone.ok(["up", "--yes", "--skip-preview"]);

  clone.ok(["config", "rm", "bucketName"]);
  const upgraded = clone.pulumi(["up", "--yes", "--skip-preview", "--expect-no-changes"]);
  expect(upgraded.status).toBe(0);
  expect(outputs(clone).stagingBucketName).toBe(oldDefault);
}, 240_000);

/** Pulumi's diagnostics hold one error, `reason`, and nothing printed has a stack trace. */
function expectOneCleanError(run: { stdout: string; stderr: string }, reason: string): void {
  const printed = `${run.stdout}\n${run.stderr}`;
  // The progress display repeats the message beside the stack resource; the diagnostics list it once.
  const diagnostics = printed.slice(printed.indexOf("Diagnostics:"));
  expect({ errors: diagnostics.split("\n").filter((line) => /^\s*error: /.test(line)), printed }).toEqual({ errors: [expect.stringContaining(reason)], printed });
  expect(printed).not.toMatch(/^\s+at \S/m);
  expect(printed).not.toMatch(/unhandled exception/);
}

test("from a clone with only what `npm ci --omit=dev` installs, pulumi up works; a bad config value then stops it with one error line, no stack trace, nothing changed", async () => {
  const { clone } = await configuredClone({}, { dependencies: "production" });
  clone.ok(["up", "--yes", "--skip-preview"]);
  const bucket = outputs(clone).stagingBucketName!;

  clone.ok(["config", "set", "expirationDays", "0"]);
  const refused = clone.pulumi(["up", "--yes", "--skip-preview"]);
  expect(refused.status).not.toBe(0);
  expectOneCleanError(refused, 'expirationDays: Expiration days must be a whole number from 1 to 3650; got "0".');
  expect(await lifecycleDays(bucket)).toBe(7);
}, 240_000);

test("another project's program imports the component from the package (npm pack) and previews under the policy pack the package ships; a refused argument given as an output stops it with one error line, no stack trace", async () => {
  await e2e.reset();
  const projectId = await e2e.createPinpointProject(REGION, "Library");
  const dir = join(e2e.home, "consumer");
  mkdirSync(dir, { recursive: true });
  installPacked(dir);
  writeFileSync(join(dir, "Pulumi.yaml"), "name: consumer\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module", main: "index.js" }));
  writeFileSync(
    join(dir, "index.js"),
    [
      'import * as pulumi from "@pulumi/pulumi";',
      'import { CensusPinpointStaging } from "census-pinpoint";',
      "const config = new pulumi.Config();",
      // An output, as another resource's would be.
      'const bucketName = pulumi.output(config.require("stagingBucket"));',
      `const staging = new CensusPinpointStaging("census", { region: "${REGION}", pinpointProjectId: config.require("projectId"), bucketName });`,
      "export const stagingBucketName = staging.stagingBucketName;",
    ].join("\n"),
  );
  const project = pulumiProject(e2e, dir, "library");
  project.ok(["stack", "init", "dev"]);
  for (const [key, value] of Object.entries({ "aws:region": REGION, projectId, stagingBucket: "consumer-census-staging" })) project.ok(["config", "set", key, value]);

  const preview = project.pulumi(["preview", "--policy-pack", "node_modules/census-pinpoint/policy"]);
  expect(preview.stderr).toBe("");
  expect(preview.status).toBe(0);
  // Loaded from the installed package, and no rule violated (some only advise in a preview, on values not known yet).
  expect(preview.stdout).toMatch(/census-pinpoint-posture@v0\.1\.0 \(local: node_modules\/census-pinpoint\/policy\)/);
  expect(preview.stdout).not.toMatch(/\[mandatory\]/);
  expect(preview.stdout).toMatch(/\+ +aws:s3:Bucket +census-staging +create/);

  project.ok(["config", "set", "stagingBucket", "Consumer_Staging"]);
  const refused = project.pulumi(["preview"]);
  expect(refused.status).not.toBe(0);
  expectOneCleanError(refused, 'bucketName: "Consumer_Staging" is not a valid S3 bucket name');
}, 240_000);
