// The stack outputs the CLI reads against those the component produces (infra/component.ts
// stagingOutputs), both run: the stack program under Pulumi mocks, the CLI's readers on its outputs.
// Where the CLI reads a single output by name, that name is typed by the component's outputs
// (wizard/pulumi/outputs.ts OutputName), so a rename there fails to compile instead.
import { stackConfigKey } from "../../../infra/config.js";
import { stackName } from "../../../infra/names.js";
import { rotationState } from "../../../wizard/pulumi/keyRotation.js";
import { censusValuesFrom, type StackOutputs } from "../../../wizard/pulumi/outputs.js";
import { TEST_PROJECT_ID } from "../../helpers/pulumiMocks.js";
import { runStack, stackConfig } from "../../infra/stackRun.js";

/** The outputs, and the names a reader asked them for. */
function recordingReads(outputs: StackOutputs): { outputs: StackOutputs; asked: Set<string> } {
  const asked = new Set<string>();
  const recorded = new Proxy(outputs, {
    get(target, name, receiver) {
      if (typeof name === "string") asked.add(name);
      return Reflect.get(target, name, receiver);
    },
  });
  return { outputs: recorded, asked };
}

test("the CLI reads every output the component produces during a key rotation (when all of them exist), and no other", async () => {
  const rotating = { accessKeyGeneration: "2", keepPreviousAccessKey: "true" };
  const run = await runStack(stackConfig("us-east-1", rotating));
  const produced = Object.keys(run.outputs).sort();
  const { outputs, asked } = recordingReads(run.outputs as StackOutputs);
  const name = stackName("us-east-1", TEST_PROJECT_ID);

  censusValuesFrom(outputs, name, { showSecrets: true });
  const rotation = rotationState(
    { [stackConfigKey("accessKeyGeneration")]: { value: rotating.accessKeyGeneration }, [stackConfigKey("keepPreviousAccessKey")]: { value: rotating.keepPreviousAccessKey } },
    outputs,
    name,
  );

  expect(rotation.phase).toBe("pending");
  expect({
    producedButNotRead: produced.filter((output) => !asked.has(output)),
    readButNotProduced: [...asked].filter((output) => !produced.includes(output)).sort(),
  }).toEqual({ producedButNotRead: [], readButNotProduced: [] });
});
