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
    { kind: "resource", phase: "start", op: "create", type: "aws:s3/bucket:Bucket", name: "staging-bucket" },
    { kind: "resource", phase: "done", op: "create", type: "aws:s3/bucket:Bucket", name: "staging-bucket", elapsedMs: 2500 },
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
  expect(events[1]).toEqual({ kind: "resource", phase: "failed", op: "create", type: "aws:iam/role:Role", name: "importer-role", elapsedMs: expect.any(Number) });
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
