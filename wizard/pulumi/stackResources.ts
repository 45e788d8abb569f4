/**
 * What a stack created, by name, read from its outputs and config before a teardown: after the
 * destroy the state no longer says, and the check that nothing is left in AWS needs the names.
 */
import type { ConfigMap, OutputMap } from "@pulumi/pulumi/automation/index.js";
import { defaultBucketName, defaultCensusUserName, defaultImporterRoleName, PROJECT_NAME } from "../../infra/names.js";
import type { PinpointRegion } from "../../infra/regions.js";
import type { ExpectedResources } from "../aws/leftovers.js";
import type { CallerIdentity } from "../aws/identity.js";
import type { StackRef } from "./workspace.js";

const IAM_ARN = /^arn:([^:]+):iam::(\d{12}):(?:role|user)\/(?:.*\/)?([^/]+)$/;

function output(outputs: OutputMap, name: string): string | undefined {
  const value = outputs[name]?.value;
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The account the stack's resources are in, when its outputs name one (a stack whose first update failed has none). */
export function stackAccountId(outputs: OutputMap): string | undefined {
  for (const name of ["importerRoleArn", "censusUserArn"]) {
    const match = IAM_ARN.exec(output(outputs, name) ?? "");
    if (match) return match[2];
  }
  return undefined;
}

/**
 * Outputs first (they are what was created), then the config (what setup asked for), then the
 * defaults setup would have used: the same order the program resolves names in.
 */
export function stackResources(ref: StackRef, outputs: OutputMap, config: ConfigMap, caller: CallerIdentity): ExpectedResources {
  const setting = (key: string) => config[`${PROJECT_NAME}:${key}`]?.value || undefined;
  const roleFromArn = IAM_ARN.exec(output(outputs, "importerRoleArn") ?? "")?.[3];
  return {
    region: ref.region,
    partition: /^arn:([^:]+):/.exec(caller.arn)?.[1] ?? "aws",
    accountId: caller.accountId,
    bucketName: output(outputs, "stagingBucketName") ?? setting("bucketName") ?? defaultBucketName(caller.accountId, ref.region as PinpointRegion),
    importerRoleName: roleFromArn ?? setting("importerRoleName") ?? defaultImporterRoleName(ref.projectId),
    censusUserName: output(outputs, "censusUserName") ?? setting("censusUserName") ?? defaultCensusUserName(ref.projectId),
  };
}
