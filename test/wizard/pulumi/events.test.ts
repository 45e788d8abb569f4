import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import { engineOutputLines, trackEngineEvents } from "../../../wizard/pulumi/events.js";
import { failedResourceEvents, resourceEvents, warningEvent, type FakeEvent } from "../../helpers/fakePulumi.js";
import { progressRecorder } from "./setup.js";

const STACK = "us-east-1-x";

function feed(onEvent: (event: EngineEvent) => void, events: FakeEvent[]): void {
  for (const event of events) onEvent({ sequence: 0, timestamp: 0, ...event } as EngineEvent);
}

test("elapsed time runs from the step's pre-event to its outputs", () => {
  const { events, onProgress } = progressRecorder();
  let clock = 1000;
  const tracker = trackEngineEvents(onProgress, () => clock);
  const [pre, done] = resourceEvents(STACK, "create", "aws:s3/bucket:Bucket", "staging-bucket");
  feed(tracker.onEvent, [pre!]);
  clock = 3500.4;
  feed(tracker.onEvent, [done!]);
  expect(events).toEqual([
    { kind: "resource", phase: "start", op: "create", type: "aws:s3/bucket:Bucket", name: "staging-bucket", what: "S3 bucket staging-bucket" },
    { kind: "resource", phase: "done", op: "create", type: "aws:s3/bucket:Bucket", name: "staging-bucket", what: "S3 bucket staging-bucket", elapsedMs: 2500 },
  ]);
});

test("unchanged resources and Pulumi's own are not reported; their failures are recorded", () => {
  const { events, onProgress } = progressRecorder();
  const tracker = trackEngineEvents(onProgress);
  feed(tracker.onEvent, [
    ...resourceEvents(STACK, "same", "aws:iam/user:User", "census-user"),
    ...failedResourceEvents(STACK, "create", "pulumi:providers:aws", "default", "error: No valid credential sources found"),
  ]);
  expect(events).toEqual([]);
  expect(tracker.failures).toEqual([{ op: "create", type: "pulumi:providers:aws", name: "default", error: "No valid credential sources found" }]);
});

test("a step's error joins its failure whether it comes before or after it", () => {
  const { events, onProgress } = progressRecorder();
  const tracker = trackEngineEvents(onProgress);
  const [pre, diagnostic, failed] = failedResourceEvents(STACK, "create", "aws:iam/role:Role", "importer-role", "error: 1 error occurred:\n\t* creating IAM Role: AccessDenied");
  feed(tracker.onEvent, [pre!, failed!, diagnostic!]);
  expect(events[1]).toEqual({ kind: "resource", phase: "failed", op: "create", type: "aws:iam/role:Role", name: "importer-role", what: "IAM role importer-role", elapsedMs: expect.any(Number) });
  expect(tracker.failures).toEqual([{ op: "create", type: "aws:iam/role:Role", name: "importer-role", error: "creating IAM Role: AccessDenied" }]);
});

test("warnings are reported without colour tags, naming their resource", () => {
  const { events, onProgress } = progressRecorder();
  const tracker = trackEngineEvents(onProgress);
  feed(tracker.onEvent, [
    warningEvent("<{%fg 3%}>old provider<{%reset%}>"),
    { diagnosticEvent: { urn: `urn:pulumi:${STACK}::census-pinpoint::aws:s3/bucket:Bucket::staging-bucket`, message: "deprecated\n", color: "never", severity: "warning" } },
    { diagnosticEvent: { message: "status line", color: "never", severity: "warning", ephemeral: true } },
    { diagnosticEvent: { message: "info only", color: "never", severity: "info" } },
  ]);
  expect(events).toEqual([
    { kind: "warning", message: "old provider" },
    { kind: "warning", message: "staging-bucket: deprecated" },
  ]);
});

test("raw output is reported line by line, whatever the chunks", () => {
  const { events, onProgress } = progressRecorder();
  const output = engineOutputLines(onProgress);
  output.write("Updat");
  output.write("ing (x):\r\n  + bucket\n  + ro");
  output.write("le");
  output.flush();
  expect(events).toEqual([
    { kind: "engine-output", line: "Updating (x):" },
    { kind: "engine-output", line: "  + bucket" },
    { kind: "engine-output", line: "  + role" },
  ]);
});

test("a resource is named as AWS knows it, from the step's inputs (its outputs and ID once it exists), and the component that groups them is not shown", () => {
  const { events, onProgress } = progressRecorder();
  const tracker = trackEngineEvents(onProgress);
  const urn = (type: string, name: string) => `urn:pulumi:${STACK}::census-pinpoint::${type}::${name}`;
  const step = (type: string, name: string, state: { inputs?: Record<string, unknown>; outputs?: Record<string, unknown>; id?: string }) => ({
    op: "create",
    urn: urn(type, name),
    type,
    provider: "",
    new: { type, urn: urn(type, name), custom: true, id: state.id ?? "", parent: "", inputs: state.inputs ?? {}, outputs: state.outputs ?? {} },
  });
  const bucket = "census-pinpoint-staging-01234567-123456789012-us-east-1";
  feed(tracker.onEvent, [
    { resourcePreEvent: { metadata: step("census-pinpoint:index:CensusPinpointStaging", "census-pinpoint", {}) } },
    { resourcePreEvent: { metadata: step("aws:s3/bucket:Bucket", "census-pinpoint-staging", { inputs: { bucket } }) } },
    { resourcePreEvent: { metadata: step("aws:iam/accessKey:AccessKey", "census-pinpoint-census-key", { inputs: { user: "census-pinpoint-01234567" } }) } },
    { resOutputsEvent: { metadata: step("aws:iam/accessKey:AccessKey", "census-pinpoint-census-key", { inputs: { user: "census-pinpoint-01234567" }, id: "AKIAI44QH8DHBEXAMPLE" }) } },
  ] as FakeEvent[]);
  expect(events.map((event) => (event.kind === "resource" ? `${event.phase} ${event.what}` : event.kind))).toEqual([
    `start S3 bucket ${bucket}`,
    "start a new access key of user census-pinpoint-01234567",
    "done access key AKIAI44QH8DHBEXAMPLE of user census-pinpoint-01234567",
  ]);
});
