import type { PinpointRegion } from "../../infra/regions.js";

/** Everything `setup` needs to know, after flags, environment and prompts have been resolved. */
export interface SetupInputs {
  region: PinpointRegion;
  projectId: string;
  bucketName?: string;
  /** Undefined: keep the stack's current value (7 for a new stack). */
  expirationDays?: number;
  importerRoleName?: string;
  censusUserName?: string;
  kmsKeyArn?: string;
}
