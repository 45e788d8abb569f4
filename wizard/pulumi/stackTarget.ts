/** Which stack a command works on, and where and as whom it is reached. */

/** Where the state lives and as whom the AWS provider runs. */
export interface PulumiTarget {
  /** --backend-url; else PULUMI_BACKEND_URL; else the file backend under CENSUS_PINPOINT_HOME. */
  backendUrl?: string;
  /** AWS named profile for the provider (--profile / AWS_PROFILE). */
  profile?: string;
  /** setup's --secrets-provider: for a new stack, or to move an existing one to another provider. */
  secretsProvider?: string;
  env: NodeJS.ProcessEnv;
}

/** Names the stack: `<region>-<projectId>`. */
export interface StackRef {
  region: string;
  projectId: string;
}
