/**
 * Text filled into a terminal's width, broken between words, never inside one that fits on a line.
 * A word longer than a whole line either keeps a line of its own (`keep`: an ARN in doctor's or
 * audit's report, to be copied whole) or is broken after one of its separators ("/", ":", ",", "-",
 * "."), where a reader sees it go on (`break`: a probe file's S3 URL in a sentence); cut blindly only
 * when it has none.
 */

export type LongWords = "keep" | "break";

const SEPARATORS = new Set(["/", ":", ",", "-", "."]);

/** Where to cut `word` so that its first piece takes at most `room` columns: after the last separator that fits, else at `room`. */
function cutAt(word: string, room: number): number {
  for (let cut = room; cut > 0; cut -= 1) if (SEPARATORS.has(word[cut - 1]!)) return cut;
  return room;
}

/**
 * Words filled into lines of at most `width` columns, each after `indent` (the first after
 * `firstIndent`). Runs of spaces collapse to one.
 */
export function wrapWords(text: string, width: number, indent = "", firstIndent = indent, longWords: LongWords = "keep"): string[] {
  const lines: string[] = [];
  let current = firstIndent;
  let empty = true;
  const newLine = () => {
    lines.push(current);
    current = indent;
    empty = true;
  };
  const append = (piece: string) => {
    current += empty ? piece : ` ${piece}`;
    empty = false;
  };
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && current.length + 1 + word.length > width) newLine();
    let rest = word;
    // Only a word too long for a fresh line is broken; `width - indent.length` is at least one column.
    while (longWords === "break" && rest.length > width - current.length - (empty ? 0 : 1) && rest.length > Math.max(width - indent.length, 1)) {
      const room = width - current.length - (empty ? 0 : 1);
      if (room < 1) {
        // An indent as wide as the terminal leaves no room on any line: the rest goes on this one.
        if (empty) break;
        newLine();
        continue;
      }
      const cut = cutAt(rest, room);
      append(rest.slice(0, cut));
      rest = rest.slice(cut);
      newLine();
    }
    append(rest);
  }
  lines.push(current);
  return lines;
}

/**
 * Each line of `text` wrapped at `width`, long words broken: what the line starts with in spaces,
 * plus `hang` after its first line, indents what wraps; a line that fits, or is empty, stays as it is.
 */
export function wrapLines(text: string, width: number, hang = ""): string[] {
  return text.split("\n").flatMap((line) => {
    if (line.length <= width) return [line];
    const lead = /^\s*/.exec(line)![0];
    return wrapWords(line, width, lead + hang, lead, "break");
  });
}
