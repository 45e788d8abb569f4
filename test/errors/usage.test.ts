// The rows of docs/errors.md about using the CLI wrongly: unknown flags and commands, values missing
// where nothing may be asked, Ctrl-C in a prompt, an --output-file that exists or whose folder does
// not, a teardown with nothing to tear down, an adopt without the bucket to take over. Each runs `main()` as a user would, with a fake Pulumi CLI, and with the AWS SDK pointed
// at a closed local port: a command that reached AWS would fail with exit 3, not with its own message.
import type { PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { main } from "../../wizard/cli.js";
import { EXIT } from "../../wizard/errors.js";
import { createInquirerPrompter, type Prompter } from "../../wizard/prompts.js";
import { captureIo } from "../helpers/cliIo.js";
import { FakePulumi } from "../helpers/fakePulumi.js";
import { isolateAwsEnvironment, type IsolatedAwsEnvironment } from "../helpers/moto.js";
import { scriptedPrompter } from "../helpers/scriptedPrompter.js";

const PROJECT_ID = "0123456789abcdef0123456789abcdef";
// Port 9 (discard) on loopback: nothing listens, so an AWS call fails at once and never leaves the machine.
const NO_AWS = "http://127.0.0.1:9";

let aws: IsolatedAwsEnvironment;
let home: string;

beforeAll(() => {
  aws = isolateAwsEnvironment(NO_AWS);
});

afterAll(() => aws?.restore());

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "census-pinpoint-usage-"));
});

afterEach(() => rmSync(home, { recursive: true, force: true }));

async function run(argv: string[], options: { terminal?: boolean; prompter?: Prompter; fake?: FakePulumi } = {}) {
  const fake = options.fake ?? new FakePulumi();
  const scripted = scriptedPrompter({});
  const captured = captureIo({ ...process.env, CENSUS_PINPOINT_HOME: home }, { terminal: options.terminal });
  const code = await main(argv, captured.io, { pulumiCommand: fake as unknown as PulumiCommand, prompter: options.prompter ?? scripted.prompter });
  const stderr = captured.stderr();
  return { code, stdout: captured.stdout(), stderr, firstLine: stderr.split("\n")[0], fake, questions: scripted.questions() };
}

describe("usage", () => {
  it("--no-input without a required value names the flag to pass, before any AWS or Pulumi call", async () => {
    const result = await run(["setup", "--no-input", "--yes", "--region", "us-east-1"]);
    expect(result.code).toBe(EXIT.usage);
    expect(result.firstLine).toBe("✖ No Pinpoint project ID given: pass --project-id <id>.");
    expect(result.fake.calls).toEqual([]);
  });

  it("without a terminal nothing is asked: a missing value names the flag to pass", async () => {
    // No --no-input: stdin is simply not a terminal (a pipe, CI).
    const result = await run(["setup", "--yes", "--project-id", PROJECT_ID]);
    expect(result.code).toBe(EXIT.usage);
    expect(result.firstLine).toBe("✖ No AWS region given: pass --region <region>, the region of your Pinpoint project.");
    expect(result.questions).toEqual([]);
    expect(result.fake.calls).toEqual([]);
  });

  it("setup without a terminal and without --yes is refused before anything is created", async () => {
    const result = await run(["setup", "--region", "us-east-1", "--project-id", PROJECT_ID]);
    expect(result.code).toBe(EXIT.usage);
    expect(result.firstLine).toBe("✖ setup creates AWS resources, and without a terminal nothing can be confirmed: pass --yes to go ahead.");
    expect(result.fake.calls).toEqual([]);
  });
});

describe("prompts", () => {
  it("Ctrl-C in a prompt exits 130 with one line and nothing created", async () => {
    // The real prompts, on a stream standing in for the terminal: the first question is drawn, then
    // the byte a terminal sends for Ctrl-C arrives.
    const input = new PassThrough();
    const output = new PassThrough();
    output.once("data", () => input.write("\x03"));
    const result = await run(["setup"], { terminal: true, prompter: createInquirerPrompter({ input, output }) });
    expect(result.code).toBe(EXIT.interrupted);
    expect(result.stderr).toBe("✖ Cancelled.\n");
    expect(result.fake.calls).toEqual([]);
  });
});

describe("files and stacks", () => {
  it("an --output-file that exists is refused without --force and left untouched", async () => {
    writeFileSync(join(home, "census.json"), "keep me\n");
    const cwd = process.cwd();
    process.chdir(home);
    try {
      const result = await run(["setup", "--no-input", "--yes", "--region", "us-east-1", "--project-id", PROJECT_ID, "--output-file", "census.json"]);
      expect(result.code).toBe(EXIT.usage);
      expect(result.firstLine).toBe("✖ --output-file: census.json already exists; census-pinpoint does not overwrite it.");
      expect(result.stderr).toContain("pass --force to overwrite it");
      expect(result.fake.calls).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
    expect(readFileSync(join(home, "census.json"), "utf8")).toBe("keep me\n");
  });

  it("an --output-file in a folder that does not exist is refused before anything is created", async () => {
    const cwd = process.cwd();
    process.chdir(home);
    try {
      const result = await run(["setup", "--no-input", "--yes", "--region", "us-east-1", "--project-id", PROJECT_ID, "--output-file", "missing-dir/census.json"]);
      expect(result.code).toBe(EXIT.usage);
      expect(result.firstLine).toBe("✖ --output-file: the folder <home>/missing-dir does not exist.".replace("<home>", home));
      expect(result.fake.calls).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
  });

  it("teardown of a stack that does not exist has nothing to do and exits 0", async () => {
    const result = await run(["teardown", "--region", "us-east-1", "--project-id", PROJECT_ID, "--yes"]);
    expect(result.code).toBe(EXIT.ok);
    // The backend is the default one, under CENSUS_PINPOINT_HOME.
    const message = "Nothing to tear down. There is no stack us-east-1-0123456789abcdef0123456789abcdef in the backend file://$CENSUS_PINPOINT_HOME/state.";
    expect(result.firstLine).toBe(message.replace("$CENSUS_PINPOINT_HOME", home));
    expect(result.stderr).toContain("If the stack was made with another Pulumi backend, pass its --backend-url.");
    expect(result.fake.calls.filter((call) => /^(destroy|stack rm|up)$/.test(call.args[0] ?? ""))).toEqual([]);
  });
});

describe("adopt", () => {
  it("adopt without --existing-bucket names the flag and where Census shows the bucket", async () => {
    const result = await run(["adopt", "--no-input", "--yes", "--region", "us-east-1", "--project-id", PROJECT_ID]);
    expect(result.code).toBe(EXIT.usage);
    expect(result.firstLine).toBe("✖ adopt needs the staging bucket Census uses now: pass --existing-bucket <name>.");
    expect(result.stderr).toContain("S3 Staging Bucket Name in Census");
    expect(result.fake.calls).toEqual([]);
  });

  it("an --existing-bucket that is not a bucket name is refused with the rule it breaks", async () => {
    const result = await run(["adopt", "--no-input", "--yes", "--region", "us-east-1", "--project-id", PROJECT_ID, "--existing-bucket", "census_staging"]);
    expect(result.code).toBe(EXIT.usage);
    expect(result.firstLine).toBe('✖ --existing-bucket: "census_staging" is not a valid S3 bucket name: it may contain only lowercase letters, digits, "." and "-" (found "_").');
  });

  it("adopt without a terminal and without --yes is refused before anything is read or created", async () => {
    const result = await run(["adopt", "--no-input", "--region", "us-east-1", "--project-id", PROJECT_ID, "--existing-bucket", "acme-census-staging"]);
    expect(result.code).toBe(EXIT.usage);
    expect(result.firstLine).toBe("✖ adopt creates AWS resources, and without a terminal nothing can be confirmed: pass --yes to go ahead.");
    expect(result.stderr).toContain("census-pinpoint adopt --no-input --yes --region <region> --project-id <id> --existing-bucket acme-census-staging");
    expect(result.fake.calls).toEqual([]);
  });
});
