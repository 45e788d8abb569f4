/**
 * docs/errors.md is a promise to users: each row's message, exit code and test must stay true. This
 * reads the table and checks every row against the test it names, so the doc cannot drift silently.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { EXIT } from "../../wizard/errors.js";

const ROOT = join(import.meta.dirname, "..", "..");

interface ErrorRow {
  line: number;
  number: number;
  what: string;
  message: string;
  exitCode: string;
  testFile: string;
  testPath: string[];
}

function cells(line: string): string[] {
  // Split on pipes that markdown did not escape, then undo the escaping inside each cell.
  return line
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replace(/\\\|/g, "|"));
}

function unquote(cell: string): string {
  const code = /^`+\s?(.*?)\s?`+$/.exec(cell);
  return code ? code[1] : cell;
}

function readRows(): ErrorRow[] {
  const lines = readFileSync(join(ROOT, "docs", "errors.md"), "utf8").split("\n");
  const rows: ErrorRow[] = [];
  lines.forEach((text, index) => {
    if (!/^\|\s*\d+\s*\|/.test(text)) return;
    const [number, what, message, exitCode, test] = cells(text.trim());
    const [testFile, ...testPath] = unquote(test).split(" › ");
    rows.push({ line: index + 1, number: Number(number), what, message: unquote(message), exitCode, testFile, testPath });
  });
  return rows;
}

/** The string literals a test file defines titles with: it("…"), test("…"), describe("…"). */
function titlesIn(source: string): Set<string> {
  const titles = new Set<string>();
  for (const match of source.matchAll(/\b(?:it|test|describe)(?:\.each\([^)]*\))?\(\s*(["'`])((?:\\.|(?!\1).)*)\1/gs)) {
    titles.add(match[2].replace(/\\(["'`\\])/g, "$1"));
  }
  return titles;
}

const rows = readRows();

describe("docs/errors.md", () => {
  it("lists at least 35 bad inputs and faults, numbered without gaps", () => {
    expect(rows.length).toBeGreaterThanOrEqual(35);
    expect(rows.map((row) => row.number)).toEqual(rows.map((_, index) => index + 1));
  });

  it.each(rows.map((row) => [row.line, row] as const))("row on line %i names a real test that asserts its message and exit code", (_line, row) => {
    expect(row.what).not.toBe("");
    expect(row.message).not.toBe("");
    expect(Object.values(EXIT).map(String)).toContain(row.exitCode);
    const file = join(ROOT, row.testFile);
    expect(existsSync(file)).toBe(true);
    const source = readFileSync(file, "utf8");
    const titles = titlesIn(source);
    for (const title of row.testPath) expect([...titles]).toContain(title);
    expect(source).toContain(row.message);
  });
});
