import { jest } from "@jest/globals";
import { CENSUS_FORM_FIELDS, MASKED_SECRET, type CensusValues } from "../../wizard/censusValues.js";
import { AwsCredentialsError } from "../../wizard/errors.js";
import type { ProgressEvent } from "../../wizard/progress.js";
import { createRenderer, type RendererOptions } from "../../wizard/render.js";
import type { StackStatus } from "../../wizard/status/report.js";

class FakeStream {
  text = "";
  constructor(
    readonly isTTY = false,
    readonly columns = 100,
  ) {}
  write(chunk: string) {
    this.text += chunk;
    return true;
  }
}

const SGR = /\x1b\[[\d;]*m/;
const ANY_ESCAPE = /\x1b/;
const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const VALUES: CensusValues = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: SECRET,
  pinpointProjectId: "0123456789abcdef0123456789abcdef",
  stagingBucketName: "census-pinpoint-staging-123456789012-eu-west-1",
  importerRoleArn: "arn:aws:iam::123456789012:role/CensusPinpointSegmentImporter-01234567",
  awsRegion: "eu-west-1",
  stagingBucketArn: "arn:aws:s3:::census-pinpoint-staging-123456789012-eu-west-1",
  censusUserArn: "arn:aws:iam::123456789012:user/census-pinpoint-01234567",
  censusUserName: "census-pinpoint-01234567",
  accessKeyCreatedAt: "2025-01-01T00:00:00Z",
};

function setUp(options: Partial<RendererOptions> & { stdoutTTY?: boolean; stderrTTY?: boolean } = {}) {
  const { stdoutTTY = false, stderrTTY = false, ...rest } = options;
  const stdout = new FakeStream(stdoutTTY);
  const stderr = new FakeStream(stderrTTY);
  const renderer = createRenderer({ stdout, stderr, env: {}, ...rest });
  return { stdout, stderr, renderer };
}

const BUCKET = "census-pinpoint-staging-123456789012-eu-west-1";
const bucketStart: ProgressEvent = { kind: "resource", phase: "start", op: "create", type: "aws:s3/bucket:Bucket", name: "census-pinpoint-staging", what: `S3 bucket ${BUCKET}` };
const bucketDone: ProgressEvent = { ...bucketStart, phase: "done", elapsedMs: 2140 };

describe("colour", () => {
  function colourful(options: Parameters<typeof setUp>[0]) {
    const { stdout, stderr, renderer } = setUp(options);
    renderer.warning("careful");
    renderer.censusValues(VALUES, { showSecret: false });
    renderer.stop();
    return { stdout: SGR.test(stdout.text), stderr: SGR.test(stderr.text) };
  }

  test("on terminals", () => {
    expect(colourful({ stdoutTTY: true, stderrTTY: true })).toEqual({ stdout: true, stderr: true });
  });

  test("NO_COLOR turns it off on terminals", () => {
    expect(colourful({ stdoutTTY: true, stderrTTY: true, env: { NO_COLOR: "1" } })).toEqual({ stdout: false, stderr: false });
  });

  test("an empty NO_COLOR does not count (no-color.org)", () => {
    expect(colourful({ stdoutTTY: true, stderrTTY: true, env: { NO_COLOR: "" } })).toEqual({ stdout: true, stderr: true });
  });

  test("not on pipes", () => {
    expect(colourful({})).toEqual({ stdout: false, stderr: false });
  });

  test("each stream on its own: results piped to a file stay plain", () => {
    expect(colourful({ stderrTTY: true })).toEqual({ stdout: false, stderr: true });
  });

  test("FORCE_COLOR colours pipes, FORCE_COLOR=0 silences terminals, NO_COLOR beats both", () => {
    expect(colourful({ env: { FORCE_COLOR: "1" } })).toEqual({ stdout: true, stderr: true });
    expect(colourful({ stdoutTTY: true, stderrTTY: true, env: { FORCE_COLOR: "0" } })).toEqual({ stdout: false, stderr: false });
    expect(colourful({ env: { FORCE_COLOR: "1", NO_COLOR: "1" } })).toEqual({ stdout: false, stderr: false });
  });

  test("TERM=dumb gets neither colour nor spinner", () => {
    const { stderr, renderer } = setUp({ stderrTTY: true, env: { TERM: "dumb" } });
    renderer.progress({ kind: "step", message: "Checking AWS credentials" });
    renderer.warning("careful");
    expect(stderr.text).not.toMatch(ANY_ESCAPE);
    expect(stderr.text).toContain("› Checking AWS credentials\n");
  });

  test("the isTTY option overrides the stream's own flag", () => {
    const { stderr, renderer } = setUp({ stderrTTY: true, isTTY: false });
    renderer.progress({ kind: "step", message: "Checking AWS credentials" });
    expect(stderr.text).toBe("› Checking AWS credentials\n");
  });
});

describe("progress without a terminal", () => {
  test("plain lines, no spinner frames or control codes", () => {
    const { stdout, stderr, renderer } = setUp();
    renderer.progress({ kind: "step", message: "Checking AWS credentials" });
    renderer.progress({ kind: "waiting", message: "Waiting for the new access key to work" });
    renderer.progress(bucketStart);
    renderer.progress(bucketDone);
    renderer.stop();
    expect(stderr.text).toBe(
      [
        "› Checking AWS credentials",
        "› Waiting for the new access key to work",
        `… creating S3 bucket ${BUCKET}`,
        `✔ created S3 bucket ${BUCKET} (2.1s)`,
        "",
      ].join("\n"),
    );
    expect(stderr.text).not.toMatch(SPINNER);
    expect(stdout.text).toBe("");
  });

  test("failures name the operation, with the engine's error indented", () => {
    const { stderr, renderer } = setUp();
    renderer.progress({
      kind: "resource",
      phase: "failed",
      op: "update",
      type: "aws:iam/role:Role",
      name: "importer",
      what: "IAM role CensusPinpointSegmentImporter-01234567",
      elapsedMs: 65_000,
      error: "AccessDenied: not allowed\nrequest id: 1",
    });
    expect(stderr.text).toBe("✖ failed to update IAM role CensusPinpointSegmentImporter-01234567 (1m 05s)\n    AccessDenied: not allowed\n    request id: 1\n");
  });

  test("warnings are prefixed; info is plain", () => {
    const { stderr, renderer } = setUp();
    renderer.progress({ kind: "warning", message: "Bucket name has a dot" });
    renderer.progress({ kind: "info", message: "Using AWS account 123456789012" });
    expect(stderr.text).toBe("⚠ Bucket name has a dot\nUsing AWS account 123456789012\n");
  });

  test("engine output only with --verbose", () => {
    const quiet = setUp();
    quiet.renderer.progress({ kind: "engine-output", line: "Updating (eu-west-1-0123)" });
    expect(quiet.stderr.text).toBe("");
    const verbose = setUp({ verbose: true });
    verbose.renderer.progress({ kind: "engine-output", line: "Updating (eu-west-1-0123)" });
    expect(verbose.stderr.text).toBe("Updating (eu-west-1-0123)\n");
  });
});

describe("spinner on a terminal", () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test("animates the current activity, prints finished lines above it, and stop() clears it", () => {
    const { stdout, stderr, renderer } = setUp({ stderrTTY: true, env: { NO_COLOR: "1" } });
    renderer.progress({ kind: "step", message: "Creating resources" });
    expect(stderr.text).toBe("⠋ Creating resources");
    jest.advanceTimersByTime(80);
    expect(stderr.text.endsWith("\r\x1b[2K⠙ Creating resources")).toBe(true);

    renderer.progress(bucketStart);
    expect(stderr.text.endsWith(`⠙ creating S3 bucket ${BUCKET}`)).toBe(true);

    stderr.text = "";
    renderer.progress(bucketDone);
    expect(stderr.text).toBe(`\r\x1b[2K✔ created S3 bucket ${BUCKET} (2.1s)\n⠙ Creating resources`);

    stderr.text = "";
    renderer.stop();
    expect(stderr.text).toBe("\r\x1b[2K");
    jest.advanceTimersByTime(1000);
    expect(stderr.text).toBe("\r\x1b[2K");
    expect(stdout.text).toBe("");
  });

  test("keeps the line within the terminal's width", () => {
    const stderr = new FakeStream(true, 20);
    const renderer = createRenderer({ stdout: new FakeStream(), stderr, env: { NO_COLOR: "1" } });
    renderer.progress({ kind: "step", message: "A step with a long description" });
    renderer.stop();
    expect(stderr.text).toContain("⠋ A step with a lon\r");
  });
});

describe("errors", () => {
  test("message and hint on stderr, no stack", () => {
    const { stdout, stderr, renderer } = setUp();
    renderer.error(new AwsCredentialsError("No AWS credentials found.", "Run `aws configure` or set AWS_PROFILE."));
    expect(stderr.text).toBe("✖ No AWS credentials found.\n  Run `aws configure` or set AWS_PROFILE.\n");
    expect(stdout.text).toBe("");
  });

  test("an unexpected error suggests --verbose; --verbose shows the stack", () => {
    const quiet = setUp();
    quiet.renderer.error(new TypeError("x is undefined"));
    expect(quiet.stderr.text).toBe("✖ x is undefined\n  Run again with --verbose for details.\n");
    const verbose = setUp({ verbose: true });
    verbose.renderer.error(new TypeError("x is undefined"));
    expect(verbose.stderr.text).toContain("TypeError: x is undefined\n    at ");
  });

  test("an error stops the spinner first", () => {
    const { stderr, renderer } = setUp({ stderrTTY: true, env: { NO_COLOR: "1" } });
    renderer.progress({ kind: "step", message: "Checking AWS credentials" });
    stderr.text = "";
    renderer.error(new AwsCredentialsError("Expired token."));
    expect(stderr.text).toBe("\r\x1b[2K✖ Expired token.\n");
  });
});

describe("Census values", () => {
  test("the six fields in the form's order with their labels, secret masked", () => {
    const { stdout, stderr, renderer } = setUp();
    renderer.censusValues(VALUES, { showSecret: false });
    expect(stdout.text).toBe(
      [
        "Access Key ID           AKIAIOSFODNN7EXAMPLE",
        `Secret Key              ${MASKED_SECRET}`,
        "Pinpoint Project ID     0123456789abcdef0123456789abcdef",
        "S3 Staging Bucket Name  census-pinpoint-staging-123456789012-eu-west-1",
        "Importer Role ARN       arn:aws:iam::123456789012:role/CensusPinpointSegmentImporter-01234567",
        "AWS Region              eu-west-1",
        "",
      ].join("\n"),
    );
    expect(stdout.text).not.toContain(SECRET);
    expect(stderr.text).toContain("Paste these into Census (Amazon Pinpoint destination) and click Connect.");
    expect(stderr.text).toContain("census-pinpoint credentials --show-secret");
    expect(stderr.text).not.toContain("Store the Secret Key now");
  });

  test("the secret only when asked, on stdout only, with a warning to store it", () => {
    const { stdout, stderr, renderer } = setUp({ stdoutTTY: true, stderrTTY: true });
    renderer.censusValues(VALUES, { showSecret: true });
    expect(stdout.text).toContain(SECRET);
    expect(stdout.text).not.toContain(MASKED_SECRET);
    expect(stderr.text).not.toContain(SECRET);
    expect(stderr.text).toContain("Store the Secret Key now");
    expect(stderr.text).toContain("`census-pinpoint credentials --show-secret`");
    const labels = stdout.text.replace(new RegExp(SGR.source, "g"), "").split("\n").filter(Boolean).map((line) => line.split(/\s{2,}/)[0]);
    expect(labels).toEqual(CENSUS_FORM_FIELDS.map(({ label }) => label));
  });
});

describe("on a narrow terminal", () => {
  /** A renderer on a terminal `columns` wide (both streams), without colour. */
  function narrow(columns: number) {
    const stdout = new FakeStream(true, columns);
    const stderr = new FakeStream(true, columns);
    const renderer = createRenderer({ stdout, stderr, env: { NO_COLOR: "1", TERM: "dumb" } });
    const lines = (stream: FakeStream) => stream.text.split("\n").filter((line) => line !== "");
    return { stdout, stderr, renderer, lines };
  }

  test("messages wrap at words under their text, never wider than the terminal", () => {
    const { stderr, renderer, lines } = narrow(40);
    renderer.warning("Store the Secret Key now, somewhere safe. It can be shown again later.");
    renderer.progress(bucketDone);
    expect(lines(stderr)).toEqual([
      "⚠ Store the Secret Key now, somewhere",
      "  safe. It can be shown again later.",
      "✔ created S3 bucket",
      "  census-pinpoint-staging-123456789012-",
      "  eu-west-1 (2.1s)",
    ]);
  });

  test("piped, a message stays on one line whatever the width", () => {
    const stderr = new FakeStream(false, 40);
    createRenderer({ stdout: new FakeStream(), stderr, env: {} }).warning("Store the Secret Key now, somewhere safe. It can be shown again later.");
    expect(stderr.text).toBe("⚠ Store the Secret Key now, somewhere safe. It can be shown again later.\n");
  });

  test("a Census value too wide beside its label goes under it, whole", () => {
    const { stdout, renderer, lines } = narrow(80);
    renderer.censusValues(VALUES, { showSecret: true });
    expect(lines(stdout)).toEqual([
      "Access Key ID           AKIAIOSFODNN7EXAMPLE",
      `Secret Key              ${SECRET}`,
      "Pinpoint Project ID     0123456789abcdef0123456789abcdef",
      `S3 Staging Bucket Name  ${BUCKET}`,
      "Importer Role ARN",
      "  arn:aws:iam::123456789012:role/CensusPinpointSegmentImporter-01234567",
      "AWS Region              eu-west-1",
    ]);
  });

  test("a table too wide for the terminal is stacked: each row's first cell, then its other cells under their headers", () => {
    const { stdout, renderer, lines } = narrow(60);
    renderer.table(
      ["Region", "Bucket", "Key age"],
      [{ cells: ["eu-west-1", BUCKET, "3 days"] }, { cells: ["us-east-1", "census-pinpoint-staging-123456789012-us-east-1", ""] }],
    );
    expect(lines(stdout)).toEqual([
      "eu-west-1",
      `  Bucket   ${BUCKET}`,
      "  Key age  3 days",
      "us-east-1",
      "  Bucket   census-pinpoint-staging-123456789012-us-east-1",
    ]);
    expect(Math.max(...lines(stdout).map((line) => line.length))).toBeLessThanOrEqual(60);
  });

  test("a table that fits keeps its columns", () => {
    const { stdout, renderer, lines } = narrow(80);
    renderer.table(["Region", "Key age"], [{ cells: ["eu-west-1", "3 days"] }]);
    expect(lines(stdout)).toEqual(["Region     Key age", "eu-west-1  3 days"]);
  });

  test("setup's connection test ends with a one-line verdict", () => {
    const passed = narrow(80);
    passed.renderer.connectionTest([
      { status: "passed", label: "AWS accepts the access key" },
      { status: "skipped", label: "The Census user may start segment imports", detail: "the endpoint did not answer" },
    ]);
    expect(passed.lines(passed.stdout).at(-1)).toBe("✔ Census connection test passed: 1 of 2 checks, 1 could not be run (marked –).");
    const failed = narrow(80);
    failed.renderer.connectionTest([
      { status: "passed", label: "AWS accepts the access key" },
      { status: "failed", label: "The key can upload a file to the bucket", fix: "Give the Census user s3:PutObject." },
    ]);
    expect(failed.lines(failed.stdout).at(-1)).toBe("✘ Census connection test failed: 1 of 2 checks (the fix is under each ✘).");
  });
});

describe("--json", () => {
  test("exactly one parseable document on stdout, nothing else there", () => {
    const { stdout, renderer } = setUp();
    renderer.progress(bucketDone);
    renderer.json({ ...VALUES, warnings: ["a"] });
    expect(JSON.parse(stdout.text)).toEqual({ ...VALUES, warnings: ["a"] });
    expect(() => renderer.json({})).toThrow(/exactly one/);
    expect(JSON.parse(stdout.text)).toEqual({ ...VALUES, warnings: ["a"] });
  });
});

describe("status", () => {
  const STACK = "eu-west-1-0123456789abcdef0123456789abcdef";
  const checked: StackStatus = {
    stackName: STACK,
    region: "eu-west-1",
    projectId: VALUES.pinpointProjectId,
    state: "checked",
    ok: true,
    lastUpdate: { kind: "update", result: "succeeded", startedAt: "2026-11-30T09:14:02.000Z", endedAt: "2026-11-30T09:15:40.000Z" },
    stagingBucketName: VALUES.stagingBucketName,
    censusUserName: VALUES.censusUserName,
    keys: [
      { accessKeyId: VALUES.accessKeyId, heldAs: "current", active: true, createdAt: "2026-11-30T09:15:00.000Z", ageDays: 1, lastUsed: { at: "2026-12-01T07:02:11.000Z", service: "s3", region: "eu-west-1" } },
    ],
    rotation: { phase: "idle", generation: 1 },
    pinpoint: { status: "found", name: "Marketing" },
    findings: [],
  };

  function shown(stacks: StackStatus[]) {
    const { stdout, stderr, renderer } = setUp();
    renderer.status({ ok: stacks.every((stack) => stack.ok), stacks });
    return { stdout: stdout.text, stderr: stderr.text };
  }

  test("a stack in order: what was read, one fact a line, and a tick", () => {
    expect(shown([checked]).stdout).toBe(
      [
        `Stack ${STACK} (Pinpoint project ${VALUES.pinpointProjectId} in eu-west-1)`,
        "  Last update   update succeeded, 2026-11-30 09:15 UTC",
        "  AWS           matches the last update",
        `  Census user   ${VALUES.censusUserName}: only what the stack grants`,
        `  Access keys   ${VALUES.accessKeyId} (Census's key, active): 1 day old, last used 2026-12-01 07:02 UTC (s3 in eu-west-1)`,
        "  Key rotation  none pending",
        '  Pinpoint      project "Marketing" answers',
        "✔ All in order.",
        "",
      ].join("\n"),
    );
  });

  test("each finding with a cross, what changed under it (long values cut) and what to do", () => {
    const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] });
    const { stdout } = shown([
      {
        ...checked,
        ok: false,
        keys: [...checked.keys, { accessKeyId: "AKIAI44QH8DHBEXAMPLE", heldAs: "previous", active: true, createdAt: null, ageDays: null, lastUsed: null }],
        rotation: { phase: "pending", generation: 2, previousAccessKeyId: "AKIAI44QH8DHBEXAMPLE" },
        findings: [
          {
            kind: "changed",
            problem: "IAM policy census-pinpoint-01234567-access was changed in AWS since the last update (policy).",
            todo: "Run setup.",
            drift: { change: "changed", type: "aws:iam/policy:Policy", name: "census-policy", description: "IAM policy census-pinpoint-01234567-access", properties: [{ path: "policy", before: policy, after: "{}" }, { path: "tags.team", after: "data" }] },
          },
          { kind: "rotation", problem: "A key rotation is pending.", todo: "Finish it." },
        ],
      },
    ]);
    expect(stdout).toContain("  AWS           1 difference from the last update (below)\n");
    expect(stdout).toContain("                AKIAI44QH8DHBEXAMPLE (previous key, active): age unknown, never used\n");
    expect(stdout).toContain("  Key rotation  pending: two keys, the previous one still to delete\n");
    expect(stdout).toContain(
      [
        "✘ IAM policy census-pinpoint-01234567-access was changed in AWS since the last update (policy).",
        `      policy: ${JSON.stringify(policy).slice(0, 49)}… → "{}"`,
        '      tags.team: (none) → "data"',
        "    Run setup.",
        "✘ A key rotation is pending.",
        "    Finish it.",
      ].join("\n"),
    );
    expect(stdout).not.toContain("All in order");
  });

  test("a stack torn down with --keep-state is described, not checked; an empty backend says so on stderr", () => {
    const kept: StackStatus = {
      ...checked,
      state: "resources-deleted",
      note: `Stack ${STACK}: resources deleted, state kept.`,
      lastUpdate: { kind: "destroy", result: "succeeded", startedAt: "2026-11-30T10:00:00.000Z" },
      stagingBucketName: null,
      censusUserName: null,
      keys: [],
      rotation: null,
      pinpoint: null,
    };
    expect(shown([kept]).stdout).toBe(
      [`Stack ${STACK} (Pinpoint project ${VALUES.pinpointProjectId} in eu-west-1)`, "  Last update  destroy succeeded, 2026-11-30 10:00 UTC", `– Stack ${STACK}: resources deleted, state kept.`, ""].join("\n"),
    );
    expect(shown([])).toEqual({ stdout: "", stderr: "No census-pinpoint stacks in this backend yet. Create one with `census-pinpoint setup`.\n" });
  });
});
