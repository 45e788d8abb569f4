/**
 * A table laid out for a terminal's width. Its columns side by side when they fit (always, without a
 * width: piped output stays one row a line, for grep and cut). Otherwise each row is stacked: its
 * first cell on a line, then every other cell on a line of its own after the column's header, so no
 * name is shortened past recognition.
 */
import { wrapLines, wrapWords } from "./wrap.js";

const GAP = "  ";
/** Under a stacked row's first cell, what it wraps onto: deeper than the cells under it, so it reads as the same name going on. */
const FIRST_CELL_HANG = "    ";

export interface TableLayout {
  /** The header line; empty when stacked, where each cell carries its header. */
  header: string[];
  /** Each row's lines. */
  rows: string[][];
}

export function layOutTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, width?: number): TableLayout {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((cells) => (cells[column] ?? "").length)));
  const total = widths.reduce((sum, columnWidth) => sum + columnWidth, 0) + GAP.length * (widths.length - 1);
  if (width === undefined || total <= width) {
    const format = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(GAP).trimEnd();
    return { header: [format(headers)], rows: rows.map((cells) => [format(cells)]) };
  }
  const labelWidth = Math.max(...headers.slice(1).map((header) => header.length));
  const valueIndent = " ".repeat(GAP.length + labelWidth + GAP.length);
  return {
    header: [],
    rows: rows.map(([first = "", ...others]) => [
      ...wrapLines(first, width, FIRST_CELL_HANG),
      ...others.flatMap((cell, index) =>
        cell === "" ? [] : wrapWords(cell, width, valueIndent, `${GAP}${(headers[index + 1] ?? "").padEnd(labelWidth)}${GAP}`, "break"),
      ),
    ]),
  };
}
