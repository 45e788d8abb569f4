/**
 * Child process of componentInputs.test.ts (Jest keeps its own process's unhandled rejections, which is
 * how a refused output surfaces, and how Pulumi reports it under `pulumi up`): builds the component once
 * per case given as JSON, with one argument as an output, under mocks, and prints as JSON what rejected
 * and what was registered all the same.
 */
import * as pulumi from "@pulumi/pulumi";
import { CensusPinpointStaging, type CensusPinpointStagingArgs } from "../../infra/component.js";
import { installMocks, settle, TEST_PROJECT_ID } from "../helpers/pulumiMocks.js";

export interface RefusedOutputCase {
  argument: keyof CensusPinpointStagingArgs;
  value: string;
}

export interface RefusedOutputResult {
  rejections: { runError: boolean; name: string; message: string }[];
  registeredTypes: string[];
}

const reasons = new Set<unknown>();
process.on("unhandledRejection", (reason) => reasons.add(reason));

const results: RefusedOutputResult[] = [];
for (const { argument, value } of JSON.parse(process.argv[2]!) as RefusedOutputCase[]) {
  reasons.clear();
  const run = installMocks({});
  new CensusPinpointStaging("census", { region: "eu-west-1", pinpointProjectId: TEST_PROJECT_ID, [argument]: pulumi.output(Promise.resolve(value)) });
  let seen: number;
  do {
    seen = run.resources.length;
    await settle();
  } while (run.resources.length !== seen);
  results.push({
    rejections: [...reasons].map((reason) => ({ runError: pulumi.RunError.isInstance(reason), name: (reason as Error).name, message: (reason as Error).message })),
    registeredTypes: run.resources.map((resource) => resource.type),
  });
}
// Its exit status is Pulumi's: its exit hook fails the process over the promises that a refused output
// leaves pending, as `pulumi up` would have stopped. The results are this line.
console.log(JSON.stringify(results));
