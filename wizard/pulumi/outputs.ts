/**
 * Stack outputs as the CLI reads them: by the names the component gives them (infra/component.ts
 * stagingOutputs), so an output renamed there fails to compile wherever the CLI reads it.
 */
import type { OutputValue } from "@pulumi/pulumi/automation/index.js";
import type { StagingOutputs } from "../../infra/component.js";
import { type CensusValues, MASKED_SECRET } from "../censusValues.js";
import { PulumiError } from "../errors.js";

export type OutputName = keyof StagingOutputs;

/** A stack's outputs; any of them may be missing (a stack whose update never completed has none). */
export type StackOutputs = { [name in OutputName]?: OutputValue };

/** Each CensusValues field is the stack output of the same name; the Record keeps the two in step. */
const CENSUS_VALUE_NAMES = Object.keys({
  accessKeyId: 0,
  secretAccessKey: 0,
  pinpointProjectId: 0,
  stagingBucketName: 0,
  importerRoleArn: 0,
  awsRegion: 0,
  stagingBucketArn: 0,
  censusUserArn: 0,
  censusUserName: 0,
  accessKeyCreatedAt: 0,
} satisfies Record<keyof CensusValues, 0>) as (keyof CensusValues)[];

/** The output's text; undefined when it is missing, empty or not text. */
export function outputText(outputs: StackOutputs, name: OutputName): string | undefined {
  const value = outputs[name]?.value;
  return typeof value === "string" && value !== "" ? value : undefined;
}

export function censusValuesFrom(outputs: StackOutputs, stackName: string, { showSecrets }: { showSecrets: boolean }): CensusValues {
  const missing = CENSUS_VALUE_NAMES.filter((name) => typeof outputs[name]?.value !== "string");
  if (missing.length > 0) {
    throw new PulumiError(
      `Stack ${stackName} lacks the output${missing.length > 1 ? "s" : ""} ${missing.join(", ")}.`,
      "Run `census-pinpoint setup` for it again: the update that produces them did not complete.",
    );
  }
  const values = Object.fromEntries(CENSUS_VALUE_NAMES.map((name) => [name, outputs[name]!.value as string])) as unknown as CensusValues;
  return showSecrets ? values : { ...values, secretAccessKey: MASKED_SECRET };
}
