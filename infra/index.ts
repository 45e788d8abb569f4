// The package's main entry: what another Pulumi program imports.
export { CensusPinpointStaging, COMPONENT_TYPE, stagingOutputs } from "./component.js";
export type { CensusPinpointStagingArgs, StagingOutputs } from "./component.js";
export { InvalidArgumentError } from "./arguments.js";
export * from "./policies.js";
export * from "./trustPolicy.js";
export * from "./regions.js";
export * from "./names.js";
export * from "./validation.js";
