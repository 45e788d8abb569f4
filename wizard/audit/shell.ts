/** Command lines a fix prints, safe to paste into a POSIX shell. */

/** One argument, single-quoted: JSON documents and anything with a space or a quote. */
export function shellQuoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
