import { CensusPinpointStaging, stagingOutputs, type StagingOutputs } from "./component.js";
import { readStackConfig } from "./config.js";
import { PROJECT_NAME } from "./names.js";

/**
 * The whole stack from its config: what `pulumi up` runs (program.ts) and what the wizard runs as its
 * inline program, so both manage the same resources under the same names.
 */
export function censusPinpointStack(): StagingOutputs {
  return stagingOutputs(new CensusPinpointStaging(PROJECT_NAME, readStackConfig()));
}
