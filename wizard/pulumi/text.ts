/** Turning engine and provider error text into the few lines a user needs. */

/** Engine messages carry Pulumi colour tags or ANSI escapes, depending on the CLI's colour mode. */
export function plainText(text: string): string {
  return text.replace(/<\{%[^%]*%\}>/g, "").replace(/\u001b\[[0-9;]*m/g, "");
}

const NOISE = [/^Command (failed|was killed|was canceled)\b/, /^\d+ errors? occurred:?$/, /^update failed$/];

function clean(line: string): string {
  return line.trim().replace(/^error:\s*/, "").replace(/^\*\s*/, "").trim();
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/**
 * The `error:` lines of CLI output with their indented continuations (a provider's AWS error sits
 * under "1 error occurred:" as "* creating IAM User ..."), without Pulumi's boilerplate, first
 * `max` of them. Without any `error:` line, the first lines of the text.
 */
export function meaningfulLines(text: string, max = 3): string[] {
  const lines = plainText(text).split(/\r?\n/);
  const picked: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*error:/.test(lines[i]!)) continue;
    const indent = indentOf(lines[i]!);
    picked.push(lines[i]!);
    while (i + 1 < lines.length && lines[i + 1]!.trim() !== "" && (indentOf(lines[i + 1]!) > indent || /^\s*\*/.test(lines[i + 1]!))) {
      picked.push(lines[++i]!);
    }
  }
  const source = picked.length > 0 ? picked : lines;
  const kept = source.map(clean).filter((line) => line !== "" && !NOISE.some((pattern) => pattern.test(line)));
  return [...new Set(kept)].slice(0, max);
}
