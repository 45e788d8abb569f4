/** Stack outputs as the CLI's CensusValues. */
import type { OutputMap } from "@pulumi/pulumi/automation/index.js";
import { type CensusValues, MASKED_SECRET } from "../censusValues.js";
import { PulumiError } from "../errors.js";

/** Each CensusValues field is the stack output of the same name; the Record keeps the two in step. */
const OUTPUT_NAMES = Object.keys({
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

export function censusValuesFrom(outputs: OutputMap, stackName: string, { showSecrets }: { showSecrets: boolean }): CensusValues {
  const missing = OUTPUT_NAMES.filter((name) => typeof outputs[name]?.value !== "string");
  if (missing.length > 0) {
    throw new PulumiError(
      `Stack ${stackName} lacks the output${missing.length > 1 ? "s" : ""} ${missing.join(", ")}.`,
      "Run `census-pinpoint setup` for it again: the update that produces them did not complete.",
    );
  }
  const values = Object.fromEntries(OUTPUT_NAMES.map((name) => [name, outputs[name]!.value as string])) as unknown as CensusValues;
  return showSecrets ? values : { ...values, secretAccessKey: MASKED_SECRET };
}
