import * as pulumi from "@pulumi/pulumi";
import type { CensusPinpointStagingArgs } from "./component.js";
import { PROJECT_NAME } from "./names.js";

/** Stack config keys of the `census-pinpoint` namespace (DESIGN.md), besides `aws:region`. */
export const CONFIG_KEYS = [
  "pinpointProjectId",
  "bucketName",
  "expirationDays",
  "importerRoleName",
  "censusUserName",
  "kmsKeyArn",
  "accessKeyGeneration",
  "keepPreviousAccessKey",
  "protect",
] as const;

export type ConfigKey = (typeof CONFIG_KEYS)[number];

/** Reads the stack's config into component args; the component validates them. */
export function readStackConfig(): CensusPinpointStagingArgs {
  const config = new pulumi.Config(PROJECT_NAME);
  // Pulumi.yaml declares the optional keys with a "" default, which means "use the computed default".
  const optional = (key: ConfigKey) => config.get(key) || undefined;
  return {
    region: new pulumi.Config("aws").require("region"),
    pinpointProjectId: config.require("pinpointProjectId"),
    bucketName: optional("bucketName"),
    expirationDays: optional("expirationDays"),
    importerRoleName: optional("importerRoleName"),
    censusUserName: optional("censusUserName"),
    kmsKeyArn: optional("kmsKeyArn"),
    accessKeyGeneration: optional("accessKeyGeneration"),
    keepPreviousAccessKey: optional("keepPreviousAccessKey"),
    protect: config.getBoolean("protect") ?? true,
  };
}
