/**
 * Everything the CLI shows, and the only module that colours or animates the terminal. Results go to
 * stdout; progress, warnings, errors and next steps go to stderr, so `> file` and `--json` capture
 * results alone. The secret key is only ever written to stdout. On a terminal, text is wrapped at
 * words to its width (read at each write, so a resized window is followed); piped, a message stays
 * one line, for grep.
 */
import { Chalk, type ChalkInstance } from "chalk";
import { CENSUS_FORM_FIELDS, MASKED_SECRET, type CensusValues } from "./censusValues.js";
import { CliError, EXIT, exitCodeFor } from "./errors.js";
import { layOutTable } from "./layout/table.js";
import { wrapLines, wrapWords } from "./layout/wrap.js";
import type { ProgressEvent } from "./progress.js";
import type { StagingPlan } from "../infra/plan.js";
import type { KeyStatus, StackStatus, StatusReport } from "./status/report.js";
import type { DoctorReport } from "./doctor/report.js";
import { AREA_NAMES, type AuditFinding, type AuditMethod, type AuditReport, type Severity } from "./audit/report.js";

/** The part of a stream the renderer uses (a terminal's write streams qualify). */
export interface TextStream {
  write(text: string): unknown;
  isTTY?: boolean;
  /** A terminal's width, read only when `isTTY`; text on a stream that is not a terminal is not wrapped. */
  columns?: number;
}

export interface RendererOptions {
  stdout: TextStream;
  stderr: TextStream;
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Whether stderr is a terminal (spinner, colour of progress); defaults to `stderr.isTTY`. Colour
   * on stdout follows `stdout.isTTY` alone, so results piped to a file stay plain.
   */
  isTTY?: boolean;
  /** Show raw engine output and stack traces. */
  verbose?: boolean;
}

export interface Renderer {
  progress(event: ProgressEvent): void;
  warning(text: string): void;
  info(text: string): void;
  /** Message and hint on stderr; the stack only when verbose. */
  error(error: unknown): void;
  /** Census's six values in the form's order on stdout, then the next step on stderr. */
  censusValues(values: CensusValues, options: { showSecret: boolean }): void;
  /** `plan`'s result on stdout: every resource, then each policy document exactly as it will be sent. */
  plan(plan: StagingPlan): void;
  /** A result made of plain lines on stdout (e.g. dotenv lines); no colour, so it stays parseable. */
  lines(lines: readonly string[]): void;
  /** A result table on stdout; rows flagged `warn` are highlighted. */
  table(headers: readonly string[], rows: ReadonlyArray<{ cells: readonly string[]; warn?: boolean }>): void;
  /** A checklist on stdout: ✔ passed, ✘ failed (with its fix underneath), – skipped (with why). */
  checklist(title: string, items: readonly ChecklistItem[]): void;
  /** setup's connection test on stdout: its checklist, then one line with the verdict. */
  connectionTest(items: readonly ChecklistItem[]): void;
  /** `status`'s result on stdout: per stack what was read, then each finding (✘) with what to do under it. */
  status(report: StatusReport): void;
  /** `doctor`'s result on stdout: one line per check (✔ ok, ⚠ warning or could not check, ✘ to fix), the fix under it; 80 columns. */
  doctor(report: DoctorReport): void;
  /** `audit`'s result on stdout: per area ✔ what passed, ✘ each finding with its evidence, how it was found and its fix, – what could not be read; the verdict last. */
  audit(report: AuditReport): void;
  /** Exactly one JSON document per run: a second call is a bug and throws. */
  json(document: unknown): void;
  /** Clears the spinner; call before prompting or exiting. */
  stop(): void;
}

export interface ChecklistItem {
  status: "passed" | "failed" | "skipped";
  label: string;
  /** What was found (shown for every status). */
  detail?: string;
  /** For a failed item: what to do about it. */
  fix?: string;
}

type ColorLevel = 0 | 1 | 2 | 3;

/**
 * NO_COLOR (any non-empty value, per no-color.org) wins over everything, because the design promises
 * to honour it. FORCE_COLOR then forces colour on pipes too ("0"/"false" turn it off; "2"/"3" pick
 * 256 or true colour). Otherwise colour needs a terminal that is not TERM=dumb.
 */
function colorLevel(env: RendererOptions["env"], isTTY: boolean): ColorLevel {
  if (env.NO_COLOR) return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === "0" || force === "false") return 0;
    if (force === "2" || force === "3") return Number(force) as ColorLevel;
    return 1;
  }
  return isTTY && env.TERM !== "dumb" ? 1 : 0;
}

const OPERATIONS: Record<string, { doing: string; done: string; verb: string }> = {
  create: { doing: "creating", done: "created", verb: "create" },
  update: { doing: "updating", done: "updated", verb: "update" },
  delete: { doing: "deleting", done: "deleted", verb: "delete" },
  replace: { doing: "replacing", done: "replaced", verb: "replace" },
  "create-replacement": { doing: "creating replacement", done: "created replacement", verb: "create replacement" },
  "delete-replaced": { doing: "deleting replaced", done: "deleted replaced", verb: "delete replaced" },
  read: { doing: "reading", done: "read", verb: "read" },
  refresh: { doing: "refreshing", done: "refreshed", verb: "refresh" },
  import: { doing: "importing", done: "imported", verb: "import" },
  same: { doing: "checking", done: "unchanged", verb: "check" },
};

function operation(op: string): { doing: string; done: string; verb: string } {
  return OPERATIONS[op] ?? { doing: op, done: op, verb: op };
}

function formatElapsed(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  return `${Math.floor(seconds / 60)}m ${String(Math.round(seconds % 60)).padStart(2, "0")}s`;
}

function formatTime(iso: string): string {
  return `${iso.slice(0, 16).replace("T", " ")} UTC`;
}

/** A value in one line: long strings (policy documents, descriptions) are cut, the JSON keeps them whole. */
function shortValue(value: unknown): string {
  if (value === undefined) return "(none)";
  const text = JSON.stringify(value);
  return text.length > 50 ? `${text.slice(0, 49)}…` : text;
}

const HELD_AS: Record<KeyStatus["heldAs"], string> = { current: "Census's key", previous: "previous key", "not-in-stack": "not the stack's" };

function keyLine(key: KeyStatus): string {
  const age = key.ageDays === null ? "age unknown" : `${key.ageDays} day${key.ageDays === 1 ? "" : "s"} old`;
  const where = key.lastUsed && key.lastUsed.service ? ` (${key.lastUsed.service}${key.lastUsed.region ? ` in ${key.lastUsed.region}` : ""})` : "";
  const use = key.lastUsed === null ? "never used" : `last used ${formatTime(key.lastUsed.at)}${where}`;
  return `${key.accessKeyId} (${HELD_AS[key.heldAs]}, ${key.active ? "active" : "inactive"}): ${age}, ${use}`;
}

const ROTATION_PHASES: Record<NonNullable<StackStatus["rotation"]>["phase"], string> = {
  idle: "none pending",
  pending: "pending: two keys, the previous one still to delete",
  starting: "started, not completed",
  finishing: "finishing, not completed",
};

/** What was read of a checked stack, one fact a line; the findings say what needs doing. */
function statusFacts(stack: StackStatus): Array<[string, string]> {
  const count = (kinds: readonly string[], one: string, many: string) => {
    const n = stack.findings.filter((finding) => kinds.includes(finding.kind)).length;
    return n === 0 ? undefined : `${n} ${n === 1 ? one : many} (below)`;
  };
  const lastUpdate = stack.lastUpdate ? `${stack.lastUpdate.kind} ${stack.lastUpdate.result}, ${formatTime(stack.lastUpdate.endedAt ?? stack.lastUpdate.startedAt)}` : "never";
  const facts: Array<[string, string]> = [["Last update", lastUpdate]];
  if (stack.state !== "checked") return facts;
  const pinpoint =
    stack.pinpoint?.status === "found" ? `project ${stack.pinpoint.name ? `"${stack.pinpoint.name}" ` : ""}answers` : stack.pinpoint?.status === "not-found" ? "no such project (below)" : "did not answer (below)";
  const [first, ...others] = stack.keys.map(keyLine);
  return [
    ...facts,
    ["AWS", count(["gone", "changed"], "difference from the last update", "differences from the last update") ?? "matches the last update"],
    ["Census user", `${stack.censusUserName}: ${count(["extra-access"], "grant the stack did not make", "grants the stack did not make") ?? "only what the stack grants"}`],
    ["Access keys", first ?? "none in IAM (below)"],
    ...others.map((line): [string, string] => ["", line]),
    ["Key rotation", stack.rotation ? ROTATION_PHASES[stack.rotation.phase] : "unknown"],
    ["Pinpoint", pinpoint],
  ];
}

const DOCTOR_WIDTH = 80;

interface LineOptions {
  style?: (text: string) => string;
  /** What indents the lines a long text wraps onto. */
  hang?: string;
}

const plain = (text: string) => text;

/** Under the text of a line led by a one-column mark and a space (✔, ⚠, ✖). */
const MARK_HANG = "  ";

/** `text` wrapped at `columns` (a terminal's width), or whole when there is no terminal. */
function fitted(text: string, columns: number | undefined, hang: string): string {
  return columns === undefined ? text : wrapLines(text, columns, hang).join("\n");
}

/** A style for the mark that leads a line alone, the rest plain. */
function markIn(style: (text: string) => string): (text: string) => string {
  return (text) => `${style(text.slice(0, 1))}${text.slice(1)}`;
}

const AUDIT_METHODS: Record<AuditMethod, string> = {
  simulated: "IAM policy simulator",
  "policy-read": "read from the policy documents",
  api: "AWS API",
};

/**
 * A command or a document in a fix or evidence stays as it is, on lines of its own: wrapped, a
 * command could no longer be pasted.
 */
function isVerbatim(text: string): boolean {
  return /^(aws|census-pinpoint) |^[[{}\]]|^\s/.test(text);
}

/** Each line of `text` wrapped under `indent` (the first after `firstIndent`); commands and documents kept whole. */
function auditLines(text: string, width: number, indent: string, firstIndent = indent): string[] {
  return text
    .split("\n")
    .flatMap((part, index) => (isVerbatim(part) ? [`${indent}${part}`] : wrapWords(part, width, indent, index === 0 ? firstIndent : indent)));
}

function findingHeading(finding: AuditFinding): string {
  return `[${finding.severity}${finding.control ? `, ${finding.control}` : ""}]`;
}

const SPINNER_FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const SPINNER_INTERVAL_MS = 80;

/**
 * One self-redrawing line at the bottom of stderr showing `current()`; permanent lines are printed
 * above it. It animates only while there is something to show.
 */
function createStatusLine(stream: TextStream, style: ChalkInstance, current: () => string | undefined) {
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  let drawn = false;
  const clear = () => {
    if (drawn) stream.write("\r\x1b[2K");
    drawn = false;
  };
  const stopTimer = () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };
  const draw = () => {
    clear();
    const text = current();
    if (text === undefined) return stopTimer();
    timer ??= setInterval(() => {
      frame = (frame + 1) % SPINNER_FRAMES.length;
      draw();
    }, SPINNER_INTERVAL_MS).unref();
    // A wrapped line could not be erased with one clear, so the text is cut to the terminal's width.
    const width = Math.max((stream.columns ?? 80) - 3, 10);
    stream.write(`${style.cyan(SPINNER_FRAMES[frame])} ${text.slice(0, width)}`);
    drawn = true;
  };
  return {
    refresh: draw,
    print(line: string) {
      clear();
      stream.write(`${line}\n`);
      draw();
    },
    stop() {
      stopTimer();
      clear();
    },
  };
}

export function createRenderer(options: RendererOptions): Renderer {
  const { stdout, stderr, env, verbose = false } = options;
  const stderrIsTTY = options.isTTY ?? stderr.isTTY === true;
  const out = new Chalk({ level: colorLevel(env, stdout.isTTY === true) });
  const err = new Chalk({ level: colorLevel(env, stderrIsTTY) });
  // The spinner shows the newest unfinished resource, else the current step.
  const inFlight = new Map<string, string>();
  let currentStep: string | undefined;
  // Erasing a line needs ANSI control codes, which a dumb terminal prints literally.
  const status =
    stderrIsTTY && env.TERM !== "dumb" ? createStatusLine(stderr, err, () => [...inFlight.values()].at(-1) ?? currentStep) : undefined;
  // A width only for a terminal: piped, a message stays one line.
  const stdoutWidth = () => (stdout.isTTY === true ? stdout.columns : undefined);
  const stderrWidth = () => (stderrIsTTY ? stderr.columns : undefined);
  /** `text` on stderr in `style`, wrapped at the terminal's width: what wraps is indented by `hang`. */
  const line = (text: string, { style = plain, hang = "" }: LineOptions = {}) => {
    const styled = style(fitted(text, stderrWidth(), hang));
    if (status) status.print(styled);
    else stderr.write(`${styled}\n`);
  };
  /** `text` on stdout, the same way. */
  const write = (text = "", { style = plain, hang = "" }: LineOptions = {}) => stdout.write(`${style(fitted(text, stdoutWidth(), hang))}\n`);
  const stop = () => {
    inFlight.clear();
    currentStep = undefined;
    status?.stop();
  };

  const warning = (text: string) => line(`⚠ ${text}`, { style: err.yellow, hang: MARK_HANG });
  const info = (text: string) => line(text);
  let jsonWritten = false;

  function checklist(title: string, items: readonly ChecklistItem[]): void {
    stop();
    write(title, { style: out.bold });
    const marks = { passed: ["✔", out.green], failed: ["✘", out.red], skipped: ["–", out.dim] } as const;
    for (const item of items) {
      const [mark, style] = marks[item.status];
      write(`${mark} ${item.label}${item.detail ? `: ${item.detail}` : ""}`, { style: markIn(style), hang: MARK_HANG });
      if (item.status === "failed" && item.fix) {
        // A command stays whole on its line, so it can still be pasted.
        for (const part of item.fix.split("\n")) stdout.write(`${isVerbatim(part) ? `    ${part}` : fitted(`    ${part}`, stdoutWidth(), "")}\n`);
      }
    }
  }

  function resourceEvent(event: Extract<ProgressEvent, { kind: "resource" }>): void {
    const key = `${event.type}\0${event.name}`;
    const { doing, done, verb } = operation(event.op);
    const { what } = event;
    const elapsed = event.elapsedMs === undefined ? "" : ` (${formatElapsed(event.elapsedMs)})`;
    if (event.phase === "start") {
      inFlight.set(key, `${doing} ${what}`);
      if (status) status.refresh();
      else line(`… ${doing} ${what}`, { style: err.dim, hang: MARK_HANG });
      return;
    }
    inFlight.delete(key);
    if (event.phase === "done") {
      line(`✔ ${done} ${what}${elapsed}`, { style: markIn(err.green), hang: MARK_HANG });
    } else {
      line(`✖ failed to ${verb} ${what}${elapsed}`, { style: err.red, hang: MARK_HANG });
      if (event.error) line(event.error.replace(/^/gm, "    "));
    }
  }

  return {
    progress(event) {
      switch (event.kind) {
        case "step":
        case "waiting":
          currentStep = event.message;
          if (status) status.refresh();
          else line(`› ${event.message}`, { hang: MARK_HANG });
          return;
        case "warning":
          return warning(event.message);
        case "info":
          return info(event.message);
        case "resource":
          return resourceEvent(event);
        case "engine-output":
          if (verbose) line(event.line, { style: err.dim });
          return;
      }
    },

    warning,
    info,

    error(error) {
      stop();
      const message = error instanceof Error ? error.message : String(error);
      line(`✖ ${message}`, { style: err.red, hang: MARK_HANG });
      const hint =
        error instanceof CliError
          ? error.hint
          : exitCodeFor(error) === EXIT.unexpected && !verbose
            ? "Run again with --verbose for details."
            : undefined;
      if (hint) line(`  ${hint}`);
      if (verbose && error instanceof Error && error.stack) line(error.stack, { style: err.dim });
    },

    censusValues(values, { showSecret }) {
      stop();
      const width = Math.max(...CENSUS_FORM_FIELDS.map(({ label }) => label.length));
      const columns = stdoutWidth() ?? Infinity;
      for (const { key, label } of CENSUS_FORM_FIELDS) {
        const value = key === "secretAccessKey" && !showSecret ? MASKED_SECRET : values[key];
        // A value is pasted into Census whole: one too wide for its column goes under its label, never broken.
        if (width + 2 + value.length <= columns) stdout.write(`${out.bold(label.padEnd(width))}  ${value}\n`);
        else stdout.write(`${out.bold(label)}\n  ${value}\n`);
      }
      line("");
      line("Paste these into Census (Amazon Pinpoint destination) and click Connect.");
      if (showSecret) {
        // The command on a line of its own, whole on any terminal, so that it can be copied.
        warning("Store the Secret Key now, somewhere safe. It can be shown again with:\n  `census-pinpoint credentials --show-secret`");
      } else {
        info("The Secret Key is masked; show it with `census-pinpoint credentials --show-secret`.");
      }
    },

    plan(plan) {
      stop();
      // Policy documents exactly as sent: a line of JSON is not wrapped.
      const write = (text = "") => stdout.write(`${text}\n`);
      write(out.bold(`Plan for Amazon Pinpoint project ${plan.pinpointProjectId} in ${plan.region} (account ${plan.accountId})`));
      write();
      write(`Resources (${plan.resources.length}):`);
      for (const resource of plan.resources) {
        const physical = resource.physicalName ? ` → ${resource.physicalName}` : "";
        write(`  ${out.green("+")} ${resource.type} ${out.bold(resource.name)}${physical}`);
        const settings = Object.entries(resource.settings).map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`);
        if (settings.length > 0) write(out.dim(`      ${settings.join(", ")}`));
      }
      write();
      write(`Tags on every taggable resource: ${Object.entries(plan.tags).map(([key, value]) => `${key}=${value}`).join(", ")}`);
      const documents: Array<[string, unknown]> = [
        [`importerTrust: trust policy of role ${plan.importerRoleName}`, plan.policies.importerTrust],
        ["importerAccess: the importer role's S3 read policy", plan.policies.importerAccess],
        [`censusAccess: policy of the group of user ${plan.censusUserName}`, plan.policies.censusAccess],
        [`bucket: bucket policy of ${plan.bucketName}`, plan.policies.bucket],
      ];
      for (const [title, document] of documents) {
        write();
        write(out.bold(title));
        write(JSON.stringify(document, null, 2));
      }
    },

    lines(lines) {
      stop();
      for (const text of lines) stdout.write(`${text}\n`);
    },

    table(headers, rows) {
      stop();
      const layout = layOutTable(
        headers,
        rows.map((row) => row.cells),
        stdoutWidth(),
      );
      for (const text of layout.header) stdout.write(`${out.bold(text)}\n`);
      layout.rows.forEach((lines, index) => {
        for (const text of lines) stdout.write(`${rows[index]?.warn ? out.yellow(text) : text}\n`);
      });
    },

    checklist,

    connectionTest(items) {
      checklist("Census connection test", items);
      const count = (status: ChecklistItem["status"]) => items.filter((item) => item.status === status).length;
      const [failed, skipped] = [count("failed"), count("skipped")];
      if (failed > 0) write(`✘ Census connection test failed: ${failed} of ${items.length} checks (the fix is under each ✘).`, { style: markIn(out.red), hang: MARK_HANG });
      else if (skipped > 0) write(`✔ Census connection test passed: ${items.length - skipped} of ${items.length} checks, ${skipped} could not be run (marked –).`, { style: markIn(out.green), hang: MARK_HANG });
      else write(`✔ Census connection test passed: all ${items.length} checks.`, { style: markIn(out.green), hang: MARK_HANG });
      write();
    },

    status(report) {
      stop();
      report.stacks.forEach((stack, index) => {
        if (index > 0) write();
        write(`Stack ${stack.stackName} (Pinpoint project ${stack.projectId} in ${stack.region})`, { style: out.bold });
        const facts = statusFacts(stack);
        const width = Math.max(...facts.map(([label]) => label.length));
        for (const [label, value] of facts) write(`  ${label.padEnd(width)}  ${value}`, { hang: " ".repeat(width + 2) });
        if (stack.note) write(`– ${stack.note}`, { style: markIn(out.dim), hang: MARK_HANG });
        for (const finding of stack.findings) {
          write(`✘ ${finding.problem}`, { style: markIn(out.red), hang: MARK_HANG });
          if (finding.drift?.change === "changed") {
            for (const { path, before, after } of finding.drift.properties) write(`      ${path}: ${shortValue(before)} → ${shortValue(after)}`, { style: out.dim });
          }
          write(`    ${finding.todo}`);
        }
        if (stack.state === "checked" && stack.ok) write("✔ All in order.", { style: markIn(out.green) });
      });
      if (report.stacks.length === 0) info("No census-pinpoint stacks in this backend yet. Create one with `census-pinpoint setup`.");
    },

    doctor(report) {
      stop();
      const marks = { ok: out.green("✔"), warn: out.yellow("⚠"), unchecked: out.yellow("⚠"), fail: out.red("✘") };
      for (const check of report.checks) {
        // The mark takes one column and a space: the text after it wraps at 78, under itself.
        const [first = "", ...rest] = wrapWords(`${check.what}: ${check.detail}`, DOCTOR_WIDTH, "  ", "  ");
        stdout.write(`${marks[check.status]}${first.slice(1)}\n`);
        for (const text of rest) stdout.write(`${out.dim(text)}\n`);
        if (check.status !== "ok" && check.fix) for (const text of wrapWords(check.fix, DOCTOR_WIDTH, "    ")) stdout.write(`${text}\n`);
      }
      const count = (status: string) => report.checks.filter((check) => check.status === status).length;
      const [failed, warned, unchecked] = [count("fail"), count("warn"), count("unchecked")];
      const notes = [warned > 0 ? `${warned} warning${warned === 1 ? "" : "s"}` : "", unchecked > 0 ? `${unchecked} not checked` : ""].filter(Boolean).join(", ");
      if (failed === 0) stdout.write(`${notes ? `Nothing to fix (${notes}).` : "Nothing to fix."}\n`);
    },

    audit(report) {
      stop();
      const width = Math.max(stdout.columns ?? 80, 40);
      const write = (text = "") => stdout.write(`${text}\n`);
      const severityStyle: Record<Severity, (text: string) => string> = { critical: out.red.bold, high: out.red, medium: out.yellow, low: out.dim };
      // The mark takes the first of two columns of indent, so the text wraps under itself.
      const marked = (mark: string, text: string) => wrapWords(text, width, "  ").forEach((line, index) => write(index === 0 ? `${mark}${line.slice(1)}` : line));
      const { subject } = report;
      const title = `Audit of ${subject.stackName ? `stack ${subject.stackName}` : "a setup made by hand"}: Pinpoint project ${subject.projectId} in ${subject.region}`;
      for (const text of wrapWords(title, width, "")) write(out.bold(text));
      const facts: Array<[string, string]> = [
        ["Importer role", subject.importerRoleArn],
        ["Census's key", subject.census],
        ["Staging bucket", subject.bucketName],
      ];
      const labelWidth = Math.max(...facts.map(([label]) => label.length));
      for (const [label, value] of facts) write(`  ${label.padEnd(labelWidth)}  ${value}`);
      for (const area of report.areas) {
        write();
        const name = AREA_NAMES[area.area].replace(/^the /, "");
        write(out.bold(`${name.charAt(0).toUpperCase()}${name.slice(1)}`));
        for (const passed of area.passed) marked(out.green("✔"), passed);
        for (const finding of area.findings) {
          const heading = findingHeading(finding);
          const [first = "", ...rest] = wrapWords(`${heading} ${finding.problem}`, width, "  ");
          write(`${out.red("✘")}${first.slice(1).replace(heading, severityStyle[finding.severity](heading))}`);
          for (const text of rest) write(text);
          write("    Evidence:");
          for (const evidence of finding.evidence) for (const text of auditLines(evidence, width, "        ", "      - ")) write(out.dim(text));
          write(`    How it was found: ${AUDIT_METHODS[finding.method]}`);
          write("    Fix:");
          for (const text of auditLines(finding.fix, width, "      ")) write(text);
        }
        if (area.skipped) marked(out.dim("–"), `Not audited: ${area.skipped}`);
      }
      write();
      for (const text of wrapWords(`${report.verdict}.`, width, "")) write(out.bold(text));
    },

    json(document) {
      if (jsonWritten) throw new Error("A JSON document was already written to stdout; --json promises exactly one.");
      jsonWritten = true;
      stop();
      stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    },

    stop,
  };
}
