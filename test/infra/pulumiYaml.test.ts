// Pulumi.yaml's config, which `pulumi up` checks and fills in, against infra/config.ts, which reads it,
// and the CLI, which writes it: a key one of them has and another lacks, or a default other than the
// one infra applies to an unset key, fails here and names the key.
import { jest } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import { load } from "js-yaml";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { stagingArgsFromConfig } from "../../infra/config.js";
import { PROJECT_NAME } from "../../infra/names.js";
import { validateStagingInputs } from "../../infra/validation.js";
import type { SetupInputs } from "../../wizard/setup/inputs.js";
import { finishConfig, startConfig } from "../../wizard/pulumi/keyRotation.js";
import { stackConfigFor } from "../../wizard/pulumi/stackConfig.js";
import { TEST_ACCOUNT_ID, TEST_PROJECT_ID } from "../helpers/pulumiMocks.js";

interface DeclaredKey {
  type: "string" | "integer" | "boolean";
  default?: string | number | boolean;
}

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const declared = (load(readFileSync(join(REPO, "Pulumi.yaml"), "utf8")) as { config: Record<string, DeclaredKey> }).config;
const declaredKeys = Object.keys(declared).sort();
const withDefaults = declaredKeys.filter((key) => declared[key]!.default !== undefined);
const REQUIRED = { "aws:region": "us-east-1", [`${PROJECT_NAME}:pinpointProjectId`]: TEST_PROJECT_ID };

/** Every pulumi.Config getter (get, getBoolean, require, …): however infra reads a key, it is seen. */
const getters = pulumi.Config.prototype as unknown as Record<string, (key: string) => unknown>;
const GETTER_NAMES = Object.getOwnPropertyNames(getters).filter((name) => /^(get|require)/.test(name) && !name.endsWith("Impl"));

/** stagingArgsFromConfig on a stack with `config`: the args it returns and the keys (`namespace:key`) it asked for. */
function readStack(config: Record<string, string>) {
  pulumi.runtime.setAllConfig(config);
  const spies = GETTER_NAMES.map((name) => jest.spyOn(getters, name));
  try {
    const args = stagingArgsFromConfig();
    const read = spies.flatMap((spy) => spy.mock.calls.map((call, index) => `${(spy.mock.contexts[index] as pulumi.Config).name}:${call[0]}`));
    return { args: args as unknown as Record<string, unknown>, read: [...new Set(read)].sort() };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

/** A value of the declared type other than the default, as config text and as the argument it should become. */
function sampleValue(key: string, { type, default: fallback }: DeclaredKey): { text: string; arg: unknown } {
  if (type === "integer") return { text: String(Number(fallback ?? 0) + 2), arg: Number(fallback ?? 0) + 2 };
  if (type === "boolean") return { text: String(!fallback), arg: !fallback };
  return { text: `${key}-from-config`, arg: `${key}-from-config` };
}

/** What the component makes of a config: its arguments after infra's defaults and validation. */
function effectiveArgs(config: Record<string, string>): Record<string, unknown> {
  const { args } = readStack(config);
  const { warnings: _warnings, ...validated } = validateStagingInputs(args as never);
  return { ...args, ...validated };
}

const inProject = (key: string) => `${PROJECT_NAME}:${key}`;

test("every key Pulumi.yaml declares is read by infra/config.ts and becomes the component argument of that name, of the declared type", () => {
  const samples = Object.fromEntries(declaredKeys.map((key) => [key, sampleValue(key, declared[key]!)]));
  const { args } = readStack({ "aws:region": "us-east-1", ...Object.fromEntries(declaredKeys.map((key) => [inProject(key), samples[key]!.text])) });

  expect(Object.fromEntries(declaredKeys.map((key) => [key, args[key]]))).toEqual(Object.fromEntries(declaredKeys.map((key) => [key, samples[key]!.arg])));
});

test("infra/config.ts reads no key of its namespace that Pulumi.yaml does not declare, and only aws:region outside it", () => {
  const { read } = readStack(REQUIRED);

  expect({
    undeclared: read.filter((key) => key.startsWith(`${PROJECT_NAME}:`) && !declaredKeys.includes(key.slice(PROJECT_NAME.length + 1))),
    outsideTheNamespace: read.filter((key) => !key.startsWith(`${PROJECT_NAME}:`)),
  }).toEqual({ undeclared: [], outsideTheNamespace: ["aws:region"] });
});

test("each default in Pulumi.yaml gives what infra applies when the key is unset", () => {
  const unset = effectiveArgs(REQUIRED);
  const fromPulumiYaml = Object.fromEntries(withDefaults.map((key) => [key, effectiveArgs({ ...REQUIRED, [inProject(key)]: String(declared[key]!.default) })[key]]));

  expect(withDefaults).toEqual(expect.arrayContaining(["expirationDays", "accessKeyGeneration", "keepPreviousAccessKey", "protect"]));
  expect(fromPulumiYaml).toEqual(Object.fromEntries(withDefaults.map((key) => [key, unset[key]])));
});

test("every config key the CLI writes (setup, both phases of rotate-key) is one infra reads", () => {
  const everyInput = {
    region: "us-east-1",
    projectId: TEST_PROJECT_ID,
    bucketName: "acme-census-staging",
    expirationDays: 30,
    importerRoleName: "AcmeCensusImporter",
    censusUserName: "acme-census",
    kmsKeyArn: `arn:aws:kms:us-east-1:${TEST_ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
  } satisfies Required<SetupInputs>;
  const written = [
    ...Object.keys(stackConfigFor(everyInput)),
    ...Object.keys(startConfig({ phase: "idle", generation: 1 })),
    ...Object.keys(finishConfig({ phase: "pending", generation: 2, previousAccessKeyId: "AKIAI44QH8DHBEXAMPLE" })),
  ];
  const { read } = readStack(REQUIRED);

  expect(Object.keys(stackConfigFor(everyInput))).toHaveLength(Object.keys(everyInput).length);
  expect({ writtenButNotRead: [...new Set(written)].filter((key) => !read.includes(key)) }).toEqual({ writtenButNotRead: [] });
});
