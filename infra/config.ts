import * as pulumi from "@pulumi/pulumi";
import type { CensusPinpointStagingArgs } from "./component.js";
import { refusing } from "./arguments.js";
import { PROJECT_NAME } from "./names.js";
import { validateAccessKeyGeneration, validateExpirationDays, validateKeepPreviousAccessKey } from "./validation.js";

/** Stack config keys of the `census-pinpoint` namespace (README.md, "With `pulumi up`"), besides `aws:region`. */
const CONFIG_KEYS = [
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

/** The key as the stack's config holds it: `census-pinpoint:<key>`. */
export function stackConfigKey(key: ConfigKey): string {
  return `${PROJECT_NAME}:${key}`;
}

/** Reads the stack's config into component args; the component validates them. */
export function stagingArgsFromConfig(): CensusPinpointStagingArgs {
  const config = new pulumi.Config(PROJECT_NAME);
  return {
    region: new pulumi.Config("aws").require("region"),
    pinpointProjectId: config.require("pinpointProjectId"),
    ...argsFromConfig((key) => config.get(key)),
    protect: config.getBoolean("protect") ?? true,
  };
}

/**
 * The optional component args that config values give (the stack's own config, or one the CLI is about
 * to write). Config values are text: numbers and booleans are converted here, so the component's args
 * stay typed values, and a value that does not convert is refused as the component refuses a bad
 * argument. Keys without a value are left out: Pulumi.yaml declares them with a "" default, which
 * means "use the computed default". `protect` is the caller's.
 */
export function argsFromConfig(value: (key: ConfigKey) => string | undefined): Partial<CensusPinpointStagingArgs> {
  const text = (key: ConfigKey) => value(key) || undefined;
  const args: Partial<CensusPinpointStagingArgs> = {
    bucketName: text("bucketName"),
    importerRoleName: text("importerRoleName"),
    censusUserName: text("censusUserName"),
    kmsKeyArn: text("kmsKeyArn"),
  };
  const expirationDays = text("expirationDays");
  if (expirationDays !== undefined) args.expirationDays = refusing(() => validateExpirationDays(expirationDays));
  const generation = text("accessKeyGeneration");
  if (generation !== undefined) args.accessKeyGeneration = refusing(() => validateAccessKeyGeneration(generation));
  const keepPrevious = text("keepPreviousAccessKey");
  if (keepPrevious !== undefined) args.keepPreviousAccessKey = refusing(() => validateKeepPreviousAccessKey(keepPrevious));
  return Object.fromEntries(Object.entries(args).filter(([, given]) => given !== undefined));
}
