// `--output-file` holds the secret key: it is written to a new 0600 file under a random name in the
// same folder, flushed, then renamed into place, so no one sees half a file or an older, looser mode;
// a failure leaves nothing behind; a symbolic link at the target is refused, --force or not.
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXIT, UsageError } from "../../wizard/errors.js";
import { checkOutputFile, writeOutputFile } from "../../wizard/outputFile.js";
import { lastErrorLine, runCli } from "../helpers/cliIo.js";
import { FakePulumi } from "../helpers/fakePulumi.js";
import { TEST_PROJECT_ID } from "../helpers/pulumiMocks.js";

const DOCUMENT = { accessKeyId: "AKIAI44QH8DHBEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
let home: string;
let file: string;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "census-pinpoint-output-file-"));
  file = join(home, "census.json");
});

afterEach(() => rmSync(home, { recursive: true, force: true }));

/** What is in the folder besides what the test put there: a leftover temporary file would show here. */
const entries = () => readdirSync(home).sort();

async function refusal(promise: Promise<unknown>): Promise<UsageError> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(UsageError);
  return error as UsageError;
}

describe("writing", () => {
  test("a new file holds the JSON with mode 0600, whatever the umask, and no temporary file is left", async () => {
    // A umask that would leave the owner without write: the mode is set on the file itself.
    const umask = process.umask(0o277);
    try {
      await writeOutputFile(file, DOCUMENT, false);
    } finally {
      process.umask(umask);
    }
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(DOCUMENT);
    expect(entries()).toEqual(["census.json"]);
  });

  test("--force replaces a file readable by others with a new 0600 file: the old file's mode and contents do not carry over", async () => {
    writeFileSync(file, "old values, readable by anyone\n", { mode: 0o644 });
    const before = statSync(file).ino;
    await writeOutputFile(file, DOCUMENT, true);

    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Renamed into place: another file, so a reader holding the old one never sees the secret.
    expect(statSync(file).ino).not.toBe(before);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(DOCUMENT);
    expect(entries()).toEqual(["census.json"]);
  });

  test("a failure at the last step leaves no partial file and no temporary file", async () => {
    // A folder at the target path: the write succeeds, the rename into place fails.
    mkdirSync(file);
    writeFileSync(join(file, "kept"), "");
    const error = await refusal(writeOutputFile(file, DOCUMENT, true));

    expect(error.message).toMatch(new RegExp(`^--output-file: cannot write ${file} \\((EISDIR|ENOTEMPTY|EEXIST)\\)\\.$`));
    expect(error.hint).toContain("census-pinpoint credentials --format json --show-secret");
    expect(lstatSync(file).isDirectory()).toBe(true);
    expect(readdirSync(file)).toEqual(["kept"]);
    expect(entries()).toEqual(["census.json"]);
  });

  test("a file that appeared while setup ran is not overwritten without --force, and nothing is left beside it", async () => {
    await checkOutputFile(file, false);
    writeFileSync(file, "someone else's\n");
    const error = await refusal(writeOutputFile(file, DOCUMENT, false));

    expect(error.message).toBe(`--output-file: ${file} appeared while setup ran; it was not overwritten.`);
    expect(readFileSync(file, "utf8")).toBe("someone else's\n");
    expect(entries()).toEqual(["census.json"]);
  });
});

describe("a symbolic link at the target", () => {
  test("is refused before anything is created, with --force too, and what it points to is untouched", async () => {
    const elsewhere = join(home, "elsewhere.json");
    writeFileSync(elsewhere, "not yours to overwrite\n");
    symlinkSync(elsewhere, file);
    for (const force of [false, true]) {
      const error = await refusal(checkOutputFile(file, force));
      expect(error.message).toBe(`--output-file: ${file} is a symbolic link; census-pinpoint does not write the secret key through one.`);
    }
    // A dangling link too: writing through it would create the file it names.
    const dangling = join(home, "dangling.json");
    symlinkSync(join(home, "nowhere", "census.json"), dangling);
    await refusal(checkOutputFile(dangling, true));
    expect(readFileSync(elsewhere, "utf8")).toBe("not yours to overwrite\n");
  });

  test("that appeared while setup ran is refused when writing, left as it is, with nothing beside it", async () => {
    const elsewhere = join(home, "elsewhere.json");
    writeFileSync(elsewhere, "not yours to overwrite\n");
    await checkOutputFile(file, true);
    symlinkSync(elsewhere, file);
    const error = await refusal(writeOutputFile(file, DOCUMENT, true));

    expect(error.message).toBe(`--output-file: ${file} is a symbolic link; census-pinpoint does not write the secret key through one.`);
    expect(readlinkSync(file)).toBe(elsewhere);
    expect(readFileSync(elsewhere, "utf8")).toBe("not yours to overwrite\n");
    expect(entries()).toEqual(["census.json", "elsewhere.json"]);
  });

  test("setup --force refuses it with exit 2 before any AWS or Pulumi call", async () => {
    symlinkSync(join(home, "elsewhere.json"), file);
    const fake = new FakePulumi();
    const result = runCli(
      ["setup", "--no-input", "--yes", "--region", "us-east-1", "--project-id", TEST_PROJECT_ID, "--output-file", file, "--force"],
      { home: join(home, "census-pinpoint-home"), fake },
    );

    expect(await result.code).toBe(EXIT.usage);
    expect(lastErrorLine(result.stderr())).toBe("--output-file: <home>/census.json is a symbolic link; census-pinpoint does not write the secret key through one.".replace("<home>", home));
    expect(result.stderr()).toContain("Name the file itself");
    expect(fake.calls).toEqual([]);
  });
});
