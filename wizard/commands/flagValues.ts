/**
 * A flag that takes a value, given without one, takes the next word as its value even when that word
 * is another flag: `--project-id --region us-east-1` makes "--region" the project ID and leaves
 * "us-east-1" over. Commander then blames the leftover ("too many arguments"), or the command blames
 * the odd value; the mistake is the flag without its value, so that is what is reported. The check
 * reads the command line as typed, before commander parses it, because commander's complaint about the
 * leftover comes before any command runs.
 */
import { UsageError } from "../errors.js";

// Commander adds these to every command itself: a flag without its value can swallow them too.
const BUILT_IN_SPELLINGS = ["-h", "--help", "-v", "--version"];

/**
 * `definitions` are commander's flag definitions, such as "--project-id <id>" or "-y, --yes". Throws
 * UsageError (exit 2) when a flag that requires a value is followed by one of the known flags.
 */
export function refuseFlagsTakenAsValues(argv: readonly string[], definitions: readonly string[]): void {
  const known = new Set(BUILT_IN_SPELLINGS);
  const needingValue = new Map<string, string>();
  for (const definition of definitions) {
    for (const spelling of definition.split(/[\s,|]+/).filter((word) => word.startsWith("-"))) {
      known.add(spelling);
      if (/<[^>]+>/.test(definition)) needingValue.set(spelling, definition);
    }
  }
  for (let index = 0; index < argv.length; index++) {
    const word = argv[index]!;
    // Commander reads everything after "--" as arguments.
    if (word === "--") return;
    const definition = needingValue.get(word);
    if (definition === undefined) continue;
    const next = argv[index + 1];
    if (next !== undefined && known.has(next.split("=")[0]!)) {
      throw new UsageError(
        `${word}: no value given (it took the next flag, ${next}, as its value).`,
        `Write the value right after the flag: ${definition}.`,
      );
    }
    // The next word is this flag's value, whatever it looks like.
    index++;
  }
}
