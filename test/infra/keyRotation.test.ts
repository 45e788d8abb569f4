// Rotation without downtime: a new generation's key is added while the previous one is kept, then the
// previous one is dropped. Each step must change only the keys.
import { byType, TEST_ACCESS_KEY_ID, TEST_SECOND_ACCESS_KEY_ID } from "../helpers/pulumiMocks.js";
import { AWS_TYPES, runStack, stackConfig, type StackRun } from "./stackRun.js";

let first: StackRun;
let rotating: StackRun;
let rotated: StackRun;

beforeAll(async () => {
  first = await runStack(stackConfig("eu-west-1"));
  rotating = await runStack(stackConfig("eu-west-1", { accessKeyGeneration: "2", keepPreviousAccessKey: "true" }));
  rotated = await runStack(stackConfig("eu-west-1", { accessKeyGeneration: "2", keepPreviousAccessKey: "false" }));
});

const keyNames = (run: StackRun) => byType(run, AWS_TYPES.accessKey).map((key) => key.name);
const otherResources = (run: StackRun) =>
  run.resources.filter((r) => r.type !== AWS_TYPES.accessKey).map((r) => `${r.type} ${r.name}`).sort();

test("a new stack has one key, under the name stacks have always used", () => {
  expect(keyNames(first)).toEqual(["census-pinpoint-census-key"]);
  // Not even an undefined output: the engine would warn about it on every run.
  expect(Object.keys(first.outputs)).not.toContain("previousAccessKeyId");
});

test("while rotating, the old key stays and the outputs show the new one", () => {
  expect(keyNames(rotating)).toEqual(["census-pinpoint-census-key", "census-pinpoint-census-key-2"]);
  expect(rotating.outputs.accessKeyId!.value).toBe(TEST_SECOND_ACCESS_KEY_ID);
  expect(rotating.outputs.previousAccessKeyId!.value).toBe(TEST_ACCESS_KEY_ID);
  expect(rotating.outputs.secretAccessKey!.secret).toBe(true);
});

test("finishing the rotation leaves only the new key", () => {
  expect(keyNames(rotated)).toEqual(["census-pinpoint-census-key-2"]);
  expect(Object.keys(rotated.outputs)).not.toContain("previousAccessKeyId");
});

test("rotation touches nothing but the keys", () => {
  expect(otherResources(rotating)).toEqual(otherResources(first));
  expect(otherResources(rotated)).toEqual(otherResources(first));
});
