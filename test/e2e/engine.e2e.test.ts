// The driver (wizard/pulumi) against the real Pulumi engine: the same functions the commands use, the
// real CLI and the test provider deploying into moto, in this process. What the driver parses (engine
// events, output shapes, error texts, lock files) is what the real CLI prints, not a model of it.
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { chmodSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetUserCommand, ListAccessKeysCommand } from "@aws-sdk/client-iam";
import { MASKED_SECRET } from "../../wizard/censusValues.js";
import { PulumiError, UsageError } from "../../wizard/errors.js";
import { ensurePulumiCli } from "../../wizard/pulumi/cli.js";
import { deployStack, openStack, readStackValues, type PulumiTarget } from "../../wizard/pulumi/workspace.js";
import type { SetupInputs } from "../../wizard/setupInputs.js";
import { progressRecorder } from "../wizard/pulumi/setup.js";
import { useE2e } from "./harness.js";

const PROJECT_ID = "0123456789abcdef0123456789abcdef";
const INPUTS: SetupInputs = { region: "eu-west-1", projectId: PROJECT_ID, expirationDays: 7 };
const STACK = `eu-west-1-${PROJECT_ID}`;
const USER = "census-pinpoint-01234567";

const e2e = useE2e();

/** Resolves once an update holds the stack's lock in the default file backend. */
async function lockTaken(): Promise<void> {
  const dir = join(e2e.home, "state/.pulumi/locks/organization/census-pinpoint", STACK);
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
    if (existsSync(dir) && readdirSync(dir).length > 0) return;
  }
  throw new Error(`no lock appeared in ${dir}`);
}
let savedEnv: NodeJS.ProcessEnv;

beforeAll(() => {
  savedEnv = { ...process.env };
});

/** The real CLI, run by the Automation API in this process, inherits this process's environment. */
function useEnv(extra: Record<string, string | undefined> = {}): PulumiTarget {
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  Object.assign(process.env, savedEnv, e2e.env({ extra }));
  for (const [name, value] of Object.entries(extra)) if (value === undefined) delete process.env[name];
  return { env: process.env };
}

beforeEach(async () => {
  await e2e.reset();
  useEnv();
});

afterEach(() => {
  useEnv();
});

test("a stack's life: deploy, rotation (two keys, then only the new one), destroy, removal", async () => {
  const { s3, iam } = e2e.aws("eu-west-1");
  const keys = async () => (await iam.send(new ListAccessKeysCommand({ UserName: USER }))).AccessKeyMetadata?.map((key) => key.AccessKeyId).sort();
  const progress = progressRecorder();
  const first = await deployStack(useEnv(), INPUTS, { onProgress: progress.onProgress });
  expect(first.changed).toBe(true);
  expect(first.values).toMatchObject({
    accessKeyId: expect.stringMatching(/^AKIA/),
    stagingBucketName: "census-pinpoint-staging-123456789012-eu-west-1",
    importerRoleArn: "arn:aws:iam::123456789012:role/CensusPinpointSegmentImporter-01234567",
    censusUserName: USER,
    awsRegion: "eu-west-1",
  });
  expect(first.values.secretAccessKey).toHaveLength(40);
  const done = progress.events.flatMap((event) => (event.kind === "resource" && event.phase === "done" ? [`${event.op} ${event.name}`] : []));
  expect(done).toEqual(expect.arrayContaining(["create census-pinpoint-staging", "create census-pinpoint-importer-role", "create census-pinpoint-census-key"]));
  expect(await readStackValues({ ...useEnv(), ...INPUTS }, { showSecrets: false })).toEqual({ ...first.values, secretAccessKey: MASKED_SECRET });

  const { stack } = await openStack(useEnv(), INPUTS, { create: false, onProgress: () => {} });
  await stack.setAllConfig({ "census-pinpoint:accessKeyGeneration": { value: "2" }, "census-pinpoint:keepPreviousAccessKey": { value: "true" } });
  const rotating = await stack.up();
  expect(rotating.outputs.previousAccessKeyId?.value).toBe(first.values.accessKeyId);
  const newKey = rotating.outputs.accessKeyId!.value as string;
  expect(await keys()).toEqual([first.values.accessKeyId, newKey].sort());

  await stack.setConfig("census-pinpoint:keepPreviousAccessKey", { value: "false" });
  const finished = await stack.up();
  expect(finished.outputs.previousAccessKeyId).toBeUndefined();
  expect(await keys()).toEqual([newKey]);

  const destroyed = await stack.destroy();
  expect(destroyed.summary.resourceChanges?.delete).toBeGreaterThan(10);
  await expect(s3.send(new HeadBucketCommand({ Bucket: first.values.stagingBucketName }))).rejects.toMatchObject({ name: "NotFound" });
  await expect(iam.send(new GetUserCommand({ UserName: USER }))).rejects.toMatchObject({ name: "NoSuchEntityException" });
  await stack.workspace.removeStack(STACK);
  expect(await stack.workspace.listStacks()).toEqual([]);
});

test("the errors the driver maps from the real CLI: wrong passphrase, a held lock, a failing resource", async () => {
  await deployStack(useEnv({ PULUMI_CONFIG_PASSPHRASE: "first" }), INPUTS, { onProgress: () => {} });
  await expect(deployStack(useEnv({ PULUMI_CONFIG_PASSPHRASE: "second" }), INPUTS, { onProgress: () => {} })).rejects.toMatchObject({
    constructor: UsageError,
    message: expect.stringContaining("passphrase does not unlock"),
  });

  const slowInputs = { ...INPUTS, expirationDays: 9 };
  const running = deployStack(useEnv({ PULUMI_CONFIG_PASSPHRASE: "first", CENSUS_TEST_PROVIDER_DELAY_MS: "1500" }), slowInputs, { onProgress: () => {} });
  await lockTaken();
  const locked = deployStack(useEnv({ PULUMI_CONFIG_PASSPHRASE: "first" }), slowInputs, { onProgress: () => {} });
  await expect(locked).rejects.toMatchObject({
    constructor: PulumiError,
    message: expect.stringContaining("is locked"),
    hint: expect.stringMatching(new RegExp(`/\\.pulumi/locks/organization/census-pinpoint/${STACK}/[\\w-]+\\.json: created by `)),
  });
  await expect(running).resolves.toMatchObject({ changed: true });

  await expect(
    deployStack(useEnv({ PULUMI_CONFIG_PASSPHRASE: "first", CENSUS_TEST_PROVIDER_FAIL: "census-pinpoint-staging-lifecycle=MalformedXML: bad rule" }), { ...INPUTS, expirationDays: 3 }, {
      onProgress: () => {},
    }),
  ).rejects.toMatchObject({ constructor: PulumiError, message: expect.stringMatching(/Could not update census-pinpoint-staging-lifecycle .*MalformedXML: bad rule/) });

}, 90_000);

test("a Pulumi CLI older than 3.181 on PATH is refused with its version named", async () => {
  const oldCli = mkdtempSync(join(tmpdir(), "census-pinpoint-old-pulumi-"));
  writeFileSync(join(oldCli, "pulumi"), "#!/bin/sh\necho v3.150.0\n");
  chmodSync(join(oldCli, "pulumi"), 0o755);
  useEnv({ PATH: `${oldCli}:${process.env.PATH}` });
  await expect(ensurePulumiCli({ env: process.env })).rejects.toMatchObject({ constructor: PulumiError, message: expect.stringContaining("3.150.0") });
});
