// The component's arguments as another Pulumi program passes them: names and the KMS key may be
// outputs of other resources (checked once known), and a refused argument, plain or output, is a Pulumi
// RunError naming it, which Pulumi prints without a stack trace.
import * as pulumi from "@pulumi/pulumi";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { InvalidArgumentError } from "../../infra/arguments.js";
import { CensusPinpointStaging } from "../../infra/component.js";
import { byType, installMocks, oneOfType, settle, TEST_ACCOUNT_ID, TEST_PROJECT_ID, type MockRun } from "../helpers/pulumiMocks.js";
import type { RefusedOutputCase, RefusedOutputResult } from "./refusedOutputs.js";
import { AWS_TYPES } from "./stackRun.js";

const HERE = dirname(fileURLToPath(import.meta.url));

const KMS_KEY_ARN = `arn:aws:kms:eu-west-1:${TEST_ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const BASE = { region: "eu-west-1", pinpointProjectId: TEST_PROJECT_ID };

/** A value another resource of the program computes: known only after this program's first turn. */
function computed(value: string): pulumi.Output<string> {
  return pulumi.output(new Promise<string>((done) => setImmediate(() => done(value))));
}

interface Staged {
  run: MockRun;
  warnings: string[];
}

async function stage(args: ConstructorParameters<typeof CensusPinpointStaging>[1]): Promise<Staged> {
  const run = installMocks({});
  const warnings: string[] = [];
  const engineWarn = pulumi.log.warn;
  pulumi.log.warn = async (message: string) => void warnings.push(message);
  try {
    new CensusPinpointStaging("census", args);
    // Registrations wait on outputs in turn: settle until nothing new arrives.
    let seen: number;
    do {
      seen = run.resources.length;
      await settle();
    } while (run.resources.length !== seen);
  } finally {
    pulumi.log.warn = engineWarn;
  }
  return { run, warnings };
}

const named = (run: MockRun, type: string) => byType(run, type).map((resource) => resource.inputs.name).sort();

test("names and the KMS key given as outputs of other resources name the resources, their derived names and the KMS grants", async () => {
  const { run } = await stage({
    ...BASE,
    bucketName: computed("acme-census-staging"),
    importerRoleName: computed("AcmeImporter"),
    censusUserName: computed("acme-census"),
    kmsKeyArn: computed(KMS_KEY_ARN),
  });

  expect(oneOfType(run, AWS_TYPES.bucket).inputs.bucket).toBe("acme-census-staging");
  expect(oneOfType(run, AWS_TYPES.role).inputs.name).toBe("AcmeImporter");
  expect(oneOfType(run, AWS_TYPES.user).inputs.name).toBe("acme-census");
  expect(oneOfType(run, AWS_TYPES.group).inputs.name).toBe("acme-census-group");
  expect(named(run, AWS_TYPES.policy)).toEqual(["AcmeImporter-s3-read", "acme-census-access"]);
  expect(oneOfType(run, AWS_TYPES.encryption).inputs.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId).toBe(KMS_KEY_ARN);
  const decrypts = byType(run, AWS_TYPES.policy).flatMap((policy) => JSON.parse(policy.inputs.policy).Statement).filter((s) => [s.Action].flat().includes("kms:Decrypt"));
  expect(decrypts.map((statement) => statement.Resource)).toEqual([KMS_KEY_ARN, KMS_KEY_ARN]);
});

test("a bucket name with dots given as an output is accepted with the warning a plain one gets", async () => {
  const { run, warnings } = await stage({ ...BASE, bucketName: computed("census.staging.example") });
  expect(warnings).toEqual([expect.stringMatching(/contains "\.", which breaks TLS/)]);
  expect(oneOfType(run, AWS_TYPES.bucket).inputs.bucket).toBe("census.staging.example");
});

const REFUSED: [RefusedOutputCase, RegExp, string][] = [
  [{ argument: "bucketName", value: "Census_Staging" }, /^bucketName: "Census_Staging" is not a valid S3 bucket name/, AWS_TYPES.bucket],
  [{ argument: "importerRoleName", value: "Census Importer" }, /^importerRoleName: "Census Importer" is not a valid IAM role name/, AWS_TYPES.role],
  [{ argument: "censusUserName", value: "census/pinpoint" }, /^censusUserName: "census\/pinpoint" is not a valid IAM user name/, AWS_TYPES.user],
  [{ argument: "kmsKeyArn", value: `arn:aws:kms:eu-west-1:${TEST_ACCOUNT_ID}:alias/census` }, /^kmsKeyArn: .* is a KMS alias ARN/, AWS_TYPES.encryption],
  [{ argument: "kmsKeyArn", value: KMS_KEY_ARN.replace(TEST_ACCOUNT_ID, "111122223333") }, /^kmsKeyArn: KMS key .* is in AWS account 111122223333/, AWS_TYPES.encryption],
];
let refused: RefusedOutputResult[];

describe("a refused value given as an output", () => {
  beforeAll(() => {
    const child = spawnSync(process.execPath, ["--import", "tsx", join(HERE, "refusedOutputs.ts"), JSON.stringify(REFUSED.map(([given]) => given))], { encoding: "utf8", timeout: 60_000 });
    // Its exit status is Pulumi's verdict on the leftover promises; the results are its one line of stdout.
    const line = child.stdout.trim();
    if (!line.startsWith("[")) throw new Error(`refusedOutputs.ts printed no results (exit ${child.status ?? child.signal}):\n${child.stdout}\n${child.stderr}`);
    refused = JSON.parse(line);
  }, 60_000);

  test.each(REFUSED.map(([given, reason, userType], index) => ({ ...given, reason, userType, index })))(
    "$argument $value: what uses it fails with one Pulumi RunError naming the argument (its message alone: no SDK prefix), and nothing is made from the value",
    ({ reason, userType, index }) => {
      const { rejections, registeredTypes } = refused[index]!;
      expect(rejections).toEqual([{ runError: true, name: "InvalidArgumentError", message: expect.stringMatching(reason) }]);
      expect(registeredTypes).not.toContain(userType);
    },
  );
});

test("a refused plain argument throws a Pulumi RunError naming it before anything is declared", async () => {
  const run = installMocks({});
  const thrown = (() => {
    try {
      new CensusPinpointStaging("census", { ...BASE, expirationDays: 0 });
    } catch (error) {
      return error;
    }
    return undefined;
  })();
  expect(thrown).toBeInstanceOf(InvalidArgumentError);
  expect(thrown).toMatchObject({ field: "expirationDays", message: 'expirationDays: Expiration days must be a whole number from 1 to 3650; got "0".' });
  await settle();
  expect(run.resources).toEqual([]);
});
