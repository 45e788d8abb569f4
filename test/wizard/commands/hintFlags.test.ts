// The command lines the CLI suggests in its messages and fixes ("census-pinpoint setup --region …")
// are read by people who paste them: each flag such a line names must be one that command takes, as
// the flag registry defines it. The sources are read as text, so a hint added anywhere under wizard/
// is covered without being listed here.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { COMMAND_FLAGS, type CommandName } from "../../../wizard/commands/commandFlags.js";
import { flagSpelling } from "../../../wizard/commands/flagRegistry.js";

const WIZARD = join(import.meta.dirname, "../../../wizard");

function sourcesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourcesUnder(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

function isCommand(word: string): word is CommandName {
  return Object.hasOwn(COMMAND_FLAGS, word);
}

interface Hint {
  where: string;
  command: CommandName;
  flags: string[];
}

// A suggested line runs from the command's name to the end of its string, its source line or an
// escaped line break; `${…}` placeholders stand for values.
const SUGGESTED_LINE = /census-pinpoint ([a-z][a-z-]*)((?:[^`"'\n\\]|\\[^n])*)/g;

function hintsIn(path: string): Hint[] {
  const where = relative(WIZARD, path);
  return [...readFileSync(path, "utf8").matchAll(SUGGESTED_LINE)].flatMap(([, command, rest]) =>
    isCommand(command!) ? [{ where, command, flags: rest!.match(/(?<![\w-])--[a-z][a-z-]*/g) ?? [] }] : [],
  );
}

const hints = sourcesUnder(WIZARD).flatMap(hintsIn);

test("the sources suggest command lines with flags (the scan finds what it checks)", () => {
  expect(hints.filter((hint) => hint.flags.length > 0).length).toBeGreaterThan(20);
  expect(hints).toContainEqual({ where: "outputFile.ts", command: "credentials", flags: ["--format", "--show-secret"] });
});

test("every flag of a suggested command line is one that command takes", () => {
  const unknown = hints.flatMap(({ where, command, flags }) => {
    const known = new Set([...COMMAND_FLAGS[command].map(flagSpelling), "--help"]);
    return flags.filter((flag) => !known.has(flag)).map((flag) => `${where}: census-pinpoint ${command} ${flag}`);
  });
  expect(unknown).toEqual([]);
});
