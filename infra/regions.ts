/** The regions where Amazon Pinpoint exists, with the partition their ARNs use. No China partition. */
export const PINPOINT_REGIONS = {
  "us-east-1": "aws",
  "us-east-2": "aws",
  "us-west-2": "aws",
  "ca-central-1": "aws",
  "eu-central-1": "aws",
  "eu-west-1": "aws",
  "eu-west-2": "aws",
  "ap-south-1": "aws",
  "ap-northeast-1": "aws",
  "ap-northeast-2": "aws",
  "ap-southeast-1": "aws",
  "ap-southeast-2": "aws",
  "us-gov-west-1": "aws-us-gov",
} as const;

export type PinpointRegion = keyof typeof PINPOINT_REGIONS;
export type Partition = (typeof PINPOINT_REGIONS)[PinpointRegion];

export const PINPOINT_REGION_NAMES = Object.keys(PINPOINT_REGIONS) as PinpointRegion[];

export function isPinpointRegion(region: string): region is PinpointRegion {
  return Object.hasOwn(PINPOINT_REGIONS, region);
}

export function partitionOf(region: PinpointRegion): Partition {
  return PINPOINT_REGIONS[region];
}

/**
 * The DNS suffix of AWS service endpoints in each partition, as in service names such as S3's
 * `s3.<region>.<suffix>` (the value KMS sees as `kms:ViaService`). GovCloud shares the commercial suffix.
 */
export const PARTITION_DNS_SUFFIX: Record<Partition, string> = { aws: "amazonaws.com", "aws-us-gov": "amazonaws.com" };
