/** Where AWS SDK calls go and as whom. */
export interface AwsTarget {
  region: string;
  /** Named profile (--profile / AWS_PROFILE). */
  profile?: string;
  /** Explicit credentials (verify uses the Census key, not the admin's). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}
