/**
 * `adopt`'s two ends around setup's update: before it, the hand-made bucket is read and checked
 * (read-only); after it, what the user changes in Census and how the old pieces are retired.
 */
import type { CensusValues } from "../censusValues.js";
import type { ProgressReporter } from "../progress.js";
import type { SetupInputs } from "../setup/inputs.js";
import type { AwsTarget } from "../aws/target.js";
import { readExistingBucket } from "../aws/existingBucket.js";
import type { OptionsOf } from "../commands/flagRegistry.js";
import { checkAdoptable, type Adoption } from "./adoptableBucket.js";

export { bucketToImport } from "./adoptableBucket.js";

export async function checkTakeOver(aws: AwsTarget, inputs: SetupInputs, onProgress: ProgressReporter): Promise<Adoption> {
  const bucketName = inputs.bucketName!;
  onProgress({ kind: "step", message: `Checking the S3 bucket ${bucketName} made by hand` });
  return checkAdoptable(await readExistingBucket(aws, bucketName), { bucketName, region: inputs.region, projectId: inputs.projectId });
}

export interface HandOver {
  bucketName: string;
  /** What to do next, in order, as printed after Census's values. */
  steps: string[];
  /** The command that removes the old key and role once Census uses the new key. */
  retireCommand: string;
}

export function censusChanges(values: CensusValues, flags: OptionsOf<"profile">): HandOver {
  const profile = flags.profile;
  const retireCommand = [
    "census-pinpoint retire",
    `--region ${values.awsRegion}`,
    `--project-id ${values.pinpointProjectId}`,
    "--role-arn <the old importer role's ARN>",
    "--key-profile <the AWS profile of the old key>",
    ...(profile ? [`--profile ${profile}`] : []),
  ].join(" ");
  return {
    bucketName: values.stagingBucketName,
    retireCommand,
    steps: [
      `The bucket ${values.stagingBucketName} and its files are now the stack's; the old role, user and key were not changed, so Census keeps working as it is.`,
      "In Census (Destinations → your Amazon Pinpoint destination → edit), paste the new Access Key ID, Secret Key and Importer Role ARN above; the bucket, project ID and region stay. Then run Census's connection test.",
      `Once it passes, remove the old key and role (each is named and confirmed first): ${retireCommand}`,
    ],
  };
}
