/** Where AWS SDK calls go and as whom. */
export interface AwsTarget {
  region: string;
  /** Named profile (--profile / AWS_PROFILE). */
  profile?: string;
  /** Explicit credentials (verify uses the Census key, not the admin's). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /**
   * The command's environment (the process's, given by the entry point; a test's own in tests): the
   * endpoint variables, AWS_MAX_ATTEMPTS and the profile files' paths are read from it. What the SDK
   * resolves by itself (the default credential chain, the profile files it reads) it takes from the
   * process's environment, which is the same one at run time.
   */
  env: NodeJS.ProcessEnv;
}
