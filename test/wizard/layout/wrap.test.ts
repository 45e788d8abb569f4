// Filling text into a terminal's width: between words, a long word broken only after a separator.
import { wrapLines, wrapWords } from "../../../wizard/layout/wrap.js";

const widest = (lines: string[]) => Math.max(...lines.map((line) => line.length));

describe("wrapWords", () => {
  test("fills words into lines of at most the width, after the indents", () => {
    expect(wrapWords("the importer role Pinpoint assumes with its policy", 20, "  ", "")).toEqual(["the importer role", "  Pinpoint assumes", "  with its policy"]);
  });

  test("keeps a word longer than a line whole by default (an ARN to be copied)", () => {
    expect(wrapWords("role arn:aws:iam::123456789012:role/CensusPinpointSegmentImporter-01234567 exists", 30)).toEqual([
      "role",
      "arn:aws:iam::123456789012:role/CensusPinpointSegmentImporter-01234567",
      "exists",
    ]);
  });

  test("breaks a word longer than a line after its separators when asked, never wider than the width", () => {
    const url = "s3://census-pinpoint-staging-01234567-123456789012-us-east-1/census-pinpoint-verify/2026-12-02T091044787Z-412mqtu0.csv";
    const lines = wrapWords(`uploaded ${url}`, 40, "  ", "", "break");
    expect(widest(lines)).toBeLessThanOrEqual(40);
    expect(lines.map((line) => line.trim()).join("").replace("uploaded", "")).toBe(url);
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/[/:,.-]$|^uploaded/);
  });

  test("cuts a long word without separators at the width", () => {
    expect(wrapWords("a".repeat(25), 10, "", "", "break")).toEqual(["a".repeat(10), "a".repeat(10), "a".repeat(5)]);
  });

  test("an indent as wide as the line cannot loop: the word stays on its line", () => {
    expect(wrapWords("word another", 4, "    ", "", "break")).toEqual(["word", "    another"]);
  });
});

describe("wrapLines", () => {
  test("a line that fits is left exactly as it is, spaces included", () => {
    expect(wrapLines("Region:           us-east-1\n\n  indented", 40)).toEqual(["Region:           us-east-1", "", "  indented"]);
  });

  test("a long line wraps under its own indent plus the hang", () => {
    expect(wrapLines("  ⚠ one two three four five six", 16, "  ")).toEqual(["  ⚠ one two", "    three four", "    five six"]);
  });
});
