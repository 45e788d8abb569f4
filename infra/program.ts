// Entry point of `pulumi up` in this repo (Pulumi.yaml `main`): reads the stack config, declares the
// stack and exports its outputs.
import { censusPinpointStack } from "./stack.js";

const outputs = censusPinpointStack();

export const accessKeyId = outputs.accessKeyId;
export const secretAccessKey = outputs.secretAccessKey;
export const pinpointProjectId = outputs.pinpointProjectId;
export const stagingBucketName = outputs.stagingBucketName;
export const importerRoleArn = outputs.importerRoleArn;
export const awsRegion = outputs.awsRegion;
export const stagingBucketArn = outputs.stagingBucketArn;
export const censusUserArn = outputs.censusUserArn;
export const censusUserName = outputs.censusUserName;
export const accessKeyCreatedAt = outputs.accessKeyCreatedAt;
export const previousAccessKeyId = outputs.previousAccessKeyId;
