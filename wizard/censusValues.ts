/**
 * The stack outputs as the CLI handles them. The first six are Census's connection form, in the form's
 * order; the label is the form's field name.
 */
export interface CensusValues {
  accessKeyId: string;
  secretAccessKey: string;
  pinpointProjectId: string;
  stagingBucketName: string;
  importerRoleArn: string;
  awsRegion: string;
  stagingBucketArn: string;
  censusUserArn: string;
  censusUserName: string;
  accessKeyCreatedAt: string;
}

export const CENSUS_FORM_FIELDS = [
  { key: "accessKeyId", label: "Access Key ID" },
  { key: "secretAccessKey", label: "Secret Key" },
  { key: "pinpointProjectId", label: "Pinpoint Project ID" },
  { key: "stagingBucketName", label: "S3 Staging Bucket Name" },
  { key: "importerRoleArn", label: "Importer Role ARN" },
  { key: "awsRegion", label: "AWS Region" },
] as const satisfies ReadonlyArray<{ key: keyof CensusValues; label: string }>;

/**
 * What stands in for the secret key when the user did not ask to see it: on screen, and in the values
 * read without it. JSON documents give null instead, which no script can mistake for a key.
 */
export const MASKED_SECRET = "****************";
