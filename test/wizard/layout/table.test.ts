// A table for a terminal's width: columns when they fit, each row stacked when they do not.
import { layOutTable } from "../../../wizard/layout/table.js";

const HEADERS = ["Region", "Project ID", "Bucket", "Key age"];
const ROW = ["us-east-1", "0123456789abcdef0123456789abcdef", "census-pinpoint-staging-01234567-123456789012-us-east-1", "3 days"];

test("without a width (a pipe) the columns stay side by side, one row a line", () => {
  const { header, rows } = layOutTable(HEADERS, [ROW]);
  expect(header).toEqual(["Region     Project ID                        Bucket                                                   Key age"]);
  expect(rows).toEqual([[ROW.join("  ")]]);
});

test("columns that fit the width stay side by side", () => {
  expect(layOutTable(["A", "B"], [["x", "y"]], 10)).toEqual({ header: ["A  B"], rows: [["x  y"]] });
});

test("too wide for 80 columns: each row stacked, every line within 80, every name whole", () => {
  const { header, rows } = layOutTable(HEADERS, [ROW, ["eu-west-1", "fedcba9876543210fedcba9876543210", "b", ""]], 80);
  expect(header).toEqual([]);
  expect(rows).toEqual([
    ["us-east-1", "  Project ID  0123456789abcdef0123456789abcdef", `  Bucket      ${ROW[2]}`, "  Key age     3 days"],
    ["eu-west-1", "  Project ID  fedcba9876543210fedcba9876543210", "  Bucket      b"],
  ]);
  expect(Math.max(...rows.flat().map((line) => line.length))).toBeLessThanOrEqual(80);
});

test("a stacked row's first cell wraps deeper than the cells under it; a cell too long wraps under its value", () => {
  const { rows } = layOutTable(["Resource", "Note"], [["IAM role CensusPinpointSegmentImporter-01234567", "teardown candidate: Pinpoint project not found"]], 44);
  expect(rows[0]).toEqual(["IAM role", "    CensusPinpointSegmentImporter-01234567", "  Note  teardown candidate: Pinpoint project", "        not found"]);
});
