/** The stack config a setup run writes (the keys README.md lists under "With `pulumi up`"), from its resolved inputs. */
import type { ConfigMap } from "@pulumi/pulumi/automation/index.js";
import { stackConfigKey, type ConfigKey } from "../../infra/config.js";
import type { SetupInputs } from "../setup/inputs.js";

/**
 * Only the keys the inputs carry: a key left out keeps whatever the stack already has, so a re-run
 * without flags keeps an earlier run's customizations (and rotate-key's access key generation).
 * Nothing here is secret.
 */
export function stackConfigFor(inputs: SetupInputs): ConfigMap {
  const values: Partial<Record<ConfigKey, string | number>> = {
    pinpointProjectId: inputs.projectId,
    bucketName: inputs.bucketName,
    expirationDays: inputs.expirationDays,
    importerRoleName: inputs.importerRoleName,
    censusUserName: inputs.censusUserName,
    kmsKeyArn: inputs.kmsKeyArn,
  };
  const config: ConfigMap = { "aws:region": { value: inputs.region } };
  for (const [key, value] of Object.entries(values) as [ConfigKey, string | number | undefined][]) {
    if (value !== undefined && value !== "") config[stackConfigKey(key)] = { value: String(value) };
  }
  return config;
}
