/** Engine events and raw CLI output, turned into the progress events the UI renders. */
import type { EngineEvent, StepEventMetadata } from "@pulumi/pulumi/automation/index.js";
import type { ProgressReporter } from "../progress.js";
import { describeResource } from "./resourceLabels.js";
import { redactSecrets } from "../redact.js";
import { meaningfulLines, plainText } from "./text.js";
import { PROJECT_NAME } from "../../infra/names.js";

export interface ResourceFailure {
  op: string;
  type: string;
  name: string;
  /** The provider's error, trimmed; filled in whenever the engine reports it. */
  error?: string;
}

export interface EngineEventTracker {
  onEvent(event: EngineEvent): void;
  /** Resource operations that failed during the update, for the error message. */
  readonly failures: readonly ResourceFailure[];
}

export function resourceName(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

/**
 * Unchanged resources, the refresh that reads every resource before an update, Pulumi's own
 * bookkeeping (the stack, default providers) and the component that only groups the AWS resources
 * would bury the few lines that matter, so they are not reported as progress; their failures are
 * still recorded.
 */
export function worthShowing(metadata: StepEventMetadata): boolean {
  return metadata.op !== "same" && metadata.op !== "refresh" && !metadata.type.startsWith("pulumi:") && !metadata.type.startsWith(`${PROJECT_NAME}:`);
}

/** The resource by its AWS name: from what the step makes of it, else from what it was. */
function what(metadata: StepEventMetadata): string {
  const state = metadata.new ?? metadata.old;
  return describeResource(metadata.type, { inputs: state?.inputs, outputs: state?.outputs, id: state?.id || undefined, logicalName: resourceName(metadata.urn) });
}

export function trackEngineEvents(onProgress: ProgressReporter, now: () => number = () => performance.now()): EngineEventTracker {
  const startedAt = new Map<string, number>();
  const errorByUrn = new Map<string, string>();
  const failureByUrn = new Map<string, ResourceFailure>();

  const report = (metadata: StepEventMetadata, phase: "start" | "done" | "failed", error?: string) => {
    if (!worthShowing(metadata)) return;
    const started = startedAt.get(metadata.urn);
    onProgress({
      kind: "resource",
      phase,
      op: metadata.op,
      type: metadata.type,
      name: resourceName(metadata.urn),
      what: what(metadata),
      ...(phase !== "start" && started !== undefined ? { elapsedMs: Math.round(now() - started) } : {}),
      ...(error !== undefined ? { error } : {}),
    });
  };

  const onEvent = (event: EngineEvent) => {
    if (event.resourcePreEvent && !event.resourcePreEvent.planning) {
      startedAt.set(event.resourcePreEvent.metadata.urn, now());
      report(event.resourcePreEvent.metadata, "start");
    } else if (event.resOutputsEvent && !event.resOutputsEvent.planning) {
      report(event.resOutputsEvent.metadata, "done");
    } else if (event.resOpFailedEvent) {
      const { metadata } = event.resOpFailedEvent;
      const error = errorByUrn.get(metadata.urn);
      failureByUrn.set(metadata.urn, { op: metadata.op, type: metadata.type, name: resourceName(metadata.urn), error });
      report(metadata, "failed", error);
    } else if (event.diagnosticEvent && !event.diagnosticEvent.ephemeral) {
      const { severity, message, urn } = event.diagnosticEvent;
      if (severity === "warning") {
        const text = redactSecrets(plainText(message)).trim();
        onProgress({ kind: "warning", message: urn ? `${resourceName(urn)}: ${text}` : text });
      } else if (severity === "error" && urn) {
        // The engine may report a step's error before or after the failed step itself.
        const error = meaningfulLines(redactSecrets(message)).join("\n");
        errorByUrn.set(urn, error);
        const failure = failureByUrn.get(urn);
        if (failure) failure.error = error;
      }
    }
  };

  return {
    onEvent,
    get failures() {
      return [...failureByUrn.values()];
    },
  };
}

/**
 * The CLI's raw output arrives in chunks; the UI wants whole lines. The CLI masks secrets it knows
 * of, not a key a provider echoes in a message, so every line is redacted (whole, so a chunk
 * boundary cannot split a secret past the redaction).
 */
export function engineOutputLines(onProgress: ProgressReporter): { write(chunk: string): void; flush(): void } {
  let pending = "";
  const emit = (line: string) => onProgress({ kind: "engine-output", line: redactSecrets(line) });
  return {
    write(chunk) {
      const lines = (pending + chunk).split(/\r?\n/);
      pending = lines.pop()!;
      lines.forEach(emit);
    },
    flush() {
      if (pending !== "") emit(pending);
      pending = "";
    },
  };
}

/**
 * The CLI's raw stdout and stderr as progress lines, only with --verbose: the options an update,
 * preview or destroy takes, and `flush` for when it ends. One line buffer per stream, so a partial
 * stderr line never splices into a stdout one.
 */
export function engineOutput(onProgress: ProgressReporter, verbose: boolean | undefined) {
  if (!verbose) return { onOutput: undefined, onError: undefined, flush: () => {} };
  const [stdout, stderr] = [engineOutputLines(onProgress), engineOutputLines(onProgress)];
  return {
    onOutput: stdout.write,
    onError: stderr.write,
    flush: () => {
      stdout.flush();
      stderr.flush();
    },
  };
}
