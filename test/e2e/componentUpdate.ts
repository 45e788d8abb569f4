/**
 * One `up` of the component exactly as `pulumi up` runs it (infra/stack.ts with the stack's config,
 * `protect` left to its default), through the Automation API and the real engine, in a process of its
 * own: the tests read what the engine did without its in-process echoes reaching jest. The Node.js
 * language host that `pulumi up` would use cannot be built here (docs/testing.md); the program is the
 * same. Prints one JSON line: the update's outcome and, per resource type, whether the state protects it.
 * Usage: tsx componentUpdate.ts <work dir> <stack> <config JSON>
 */
import { LocalWorkspace } from "@pulumi/pulumi/automation/index.js";
import { ignoreEngineShutdownEchoes } from "../../wizard/pulumi/engineShutdown.js";

ignoreEngineShutdownEchoes();
const [workDir, stackName, configJson] = process.argv.slice(2) as [string, string, string];
const program = async () => (await import("../../infra/stack.js")).censusPinpointStack();
const stack = await LocalWorkspace.createOrSelectStack({ stackName, projectName: "census-pinpoint", program }, { workDir });
const config = JSON.parse(configJson) as Record<string, string | null>;
for (const [key, value] of Object.entries(config)) {
  if (value === null) await stack.removeConfig(key);
  else await stack.setConfig(key, { value });
}
let error: string | undefined;
let changes: Record<string, number> | undefined;
try {
  changes = (await stack.up({ color: "never" })).summary.resourceChanges as Record<string, number>;
} catch (failure) {
  error = (failure as Error).message;
}
const state = (await stack.exportStack()).deployment as { resources?: Array<{ type: string; protect?: boolean; outputs?: { bucket?: string } }> };
const protectedTypes = (state.resources ?? []).filter((resource) => resource.protect).map((resource) => resource.type);
const bucket = state.resources?.find((resource) => resource.type === "aws:s3/bucket:Bucket")?.outputs?.bucket;
console.log(JSON.stringify({ error, changes, protectedTypes, bucket }));
