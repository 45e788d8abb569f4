// What a person sees on a small terminal: the built CLI in a pseudo-terminal of 80×24 or 80×12, its
// output replayed in a terminal emulator of the same size, and the screen read as a person reads it:
// nothing wider than the terminal, the marks on the right lines, Census's six values on the last screen.
import xterm from "@xterm/headless";
import { PINPOINT_REGION_NAMES } from "../../infra/regions.js";
import { runInPty, useE2e, type PtySession } from "./harness.js";

const REGION = "us-east-1";
const ACCOUNT = "123456789012";
const COLS = 80;

interface Screen {
  /** Every line printed, scrolled away or not, as the terminal shows it. */
  lines: string[];
  /** The lines on screen at the end. */
  viewport: string[];
  /** Lines the terminal had to wrap because they were wider than it: none should be. */
  overflowing: string[];
}

/** `raw` as a terminal of `cols` × `rows` shows it. */
async function screenOf(raw: string, cols: number, rows: number): Promise<Screen> {
  const terminal = new xterm.Terminal({ cols, rows, scrollback: 10_000, allowProposedApi: true });
  await new Promise<void>((resolve) => terminal.write(raw, resolve));
  const buffer = terminal.buffer.active;
  const lines: string[] = [];
  const overflowing: string[] = [];
  for (let index = 0; index < buffer.length; index += 1) {
    const line = buffer.getLine(index)!;
    const text = line.translateToString(true);
    if (line.isWrapped) overflowing.push(`${lines.at(-1)}⏎${text}`);
    lines.push(text);
  }
  const viewport = lines.slice(buffer.viewportY, buffer.viewportY + rows);
  terminal.dispose();
  return { lines, viewport, overflowing };
}

const e2e = useE2e();
let projectId: string;

beforeAll(async () => {
  projectId = await e2e.createPinpointProject(REGION, "Marketing");
});

const bucket = () => `census-pinpoint-staging-${projectId.slice(0, 8)}-${ACCOUNT}-${REGION}`;

async function answer(session: PtySession, question: RegExp, keys: string): Promise<void> {
  await session.waitFor(question, 30_000);
  if (keys !== "") session.type(keys);
  session.key("enter");
}

describe("at 80×24", () => {
  const ROWS = 24;

  test("setup: the summary above a marked Proceed?, progress by AWS names, and the six values last, after the connection test's verdict", async () => {
    const session = runInPty(["setup"], e2e.env(), { cols: COLS, rows: ROWS });
    await answer(session, /AWS region of your Pinpoint project/, "");
    await answer(session, /❯ Marketing \(/, "");
    await answer(session, /Customize names and expiry\?/, "n");
    await answer(session, /Proceed\?/, "y");
    expect(await session.exit(90_000)).toBe(0);
    const { lines, viewport, overflowing } = await screenOf(session.raw, COLS, ROWS);

    expect(overflowing).toEqual([]);
    expect(lines).toContain(`✔ Pinpoint project Marketing (${projectId})`);
    // The summary is text above the question: the mark is on the question's line, not on the summary's first.
    const summaryAt = lines.findIndex((line) => line.startsWith("AWS account:"));
    expect(lines[summaryAt]).toBe(`AWS account:      ${ACCOUNT}`);
    expect(lines.slice(summaryAt, summaryAt + 5)).toEqual([
      `AWS account:      ${ACCOUNT}`,
      `Region:           ${REGION}`,
      `Pinpoint project: Marketing (${projectId})`,
      `Staging bucket:   ${bucket()}`,
      "Files expire:     7 days after staging",
    ]);
    expect(lines.filter((line) => line.includes("Proceed?"))).toEqual(["✔ Proceed? Yes"]);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^✔ created IAM role CensusPinpointSegmentImporter-${projectId.slice(0, 8)} \\(\\d+\\.\\ds\\)$`)));
    expect(lines.join("\n")).toContain(`✔ created S3 bucket ${bucket()}`);
    expect(lines.join("\n")).not.toMatch(/aws:(s3|iam)\/|census-pinpoint:index/);

    // What Census needs is all on the last screen, below the connection test's verdict.
    const onScreen = viewport.join("\n");
    const verdictAt = viewport.findIndex((line) => line.startsWith("✔ Census connection test passed"));
    expect(verdictAt).toBeGreaterThanOrEqual(0);
    for (const label of ["Access Key ID", "Secret Key", "Pinpoint Project ID", "S3 Staging Bucket Name", "Importer Role ARN", "AWS Region"]) {
      expect(viewport.findIndex((line) => line.startsWith(label))).toBeGreaterThan(verdictAt);
    }
    expect(onScreen).toMatch(/^Access Key ID {2,}AKIA[A-Z0-9]{16}$/m);
    expect(onScreen).toMatch(/^Secret Key {2,}\S{40}$/m);
    expect(onScreen).toContain(`Pinpoint Project ID     ${projectId}`);
    expect(onScreen).toContain(`S3 Staging Bucket Name  ${bucket()}`);
    expect(onScreen).toMatch(new RegExp(`^Importer Role ARN\\s+arn:aws:iam::${ACCOUNT}:role/CensusPinpointSegmentImporter-${projectId.slice(0, 8)}$`, "m"));
    expect(onScreen).toContain(`AWS Region              ${REGION}`);
    expect(onScreen).toContain("⚠ Store the Secret Key now, somewhere safe.");
    expect(viewport.filter((line) => line.trim() !== "").at(-1)).toBe("  `census-pinpoint credentials --show-secret`");
  }, 120_000);

  test("list: the stack fits 80 columns, its bucket's name whole", async () => {
    const session = runInPty(["list"], e2e.env(), { cols: COLS, rows: ROWS });
    expect(await session.exit(60_000)).toBe(0);
    const { lines, overflowing } = await screenOf(session.raw, COLS, ROWS);
    expect(overflowing).toEqual([]);
    expect(lines.some((line) => line.includes(bucket()))).toBe(true);
    expect(lines.some((line) => line.includes(projectId))).toBe(true);
  }, 90_000);

  test("teardown: what it deletes by AWS name within 80 columns, and a wrong typed answer marked ✖", async () => {
    const session = runInPty(["teardown"], e2e.env(), { cols: COLS, rows: ROWS });
    await answer(session, /Type the project ID \w+ to confirm/, "not-the-id");
    expect(await session.exit(60_000)).toBe(2);
    const { lines, overflowing } = await screenOf(session.raw, COLS, ROWS);
    expect(overflowing).toEqual([]);
    expect(lines).toContain(`S3 bucket ${bucket()}`);
    expect(lines).toContain(`IAM role CensusPinpointSegmentImporter-${projectId.slice(0, 8)}`);
    expect(lines).toContain(`IAM user census-pinpoint-${projectId.slice(0, 8)}`);
    expect(lines.filter((line) => line.includes("to confirm"))).toEqual([`✖ Type the project ID ${projectId} to confirm not-the-id`]);
  }, 90_000);
});

test("at 80×12 the region list fits the screen: arrowing down draws it again in place, never a second question below", async () => {
  const ROWS = 12;
  const session = runInPty(["setup"], e2e.env(), { cols: COLS, rows: ROWS });
  await session.waitFor(/AWS region of your Pinpoint project/, 30_000);
  for (const region of PINPOINT_REGION_NAMES.slice(1, 11)) {
    session.key("down");
    await session.waitFor(`❯ ${region}`);
  }
  const { lines, viewport, overflowing } = await screenOf(session.raw, COLS, ROWS);
  session.key("ctrl-c");
  expect(await session.exit()).toBe(130);

  expect(overflowing).toEqual([]);
  expect(lines.filter((line) => line.includes("AWS region of your Pinpoint project"))).toHaveLength(1);
  expect(viewport[0]).toBe("? AWS region of your Pinpoint project");
  expect(viewport).toContain("❯ ap-southeast-1  Asia Pacific (Singapore)");
  for (const region of PINPOINT_REGION_NAMES) expect(lines.filter((line) => line.includes(`${region} `)).length).toBeLessThanOrEqual(1);
}, 60_000);
