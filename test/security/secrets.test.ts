// Where the Census secret key can go, command by command: every command is run as a user runs it
// (main() with AWS calls at moto, the fake Pulumi CLI and scripted answers), and after each run the
// secret must not be on stderr, nor on stdout unless the user asked for it (setup's result,
// `credentials --show-secret`, rotate-key phase 1's new key, and their --json), nor in any file under
// CENSUS_PINPOINT_HOME. The fake keeps Pulumi's state in memory, so no file there may hold it, except
// an explicit --output-file. Failures are run with --verbose: raw engine output and error details
// must be masked too. (The driver layer's own check is test/wizard/pulumi/secrets.test.ts.)
import { CreateAppCommand, PinpointClient } from "@aws-sdk/client-pinpoint";
import { GetAccessKeyLastUsedCommand, IAMClient, ListAccessKeysCommand } from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import type { PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { main } from "../../wizard/cli.js";
import { EXIT } from "../../wizard/errors.js";
import { captureIo } from "../helpers/cliIo.js";
import { filesUnder } from "../helpers/files.js";
import { failedResourceEvents, fakeAccessKey, FakePulumi, warningEvent, type FakeEvent } from "../helpers/fakePulumi.js";
import { DUMMY_CREDENTIALS, useMoto } from "../helpers/moto.js";
import { scriptedPrompter, type Script } from "../helpers/scriptedPrompter.js";

const REGION = "eu-west-1";
const CENSUS_SECRET = fakeAccessKey(1).secret;
/** The key rotate-key's phase 1 makes. */
const ROTATED_SECRET = fakeAccessKey(2).secret;
/** The administrator's own key (the CLI's AWS credentials) is a secret too, and must never show up. */
const ADMIN_SECRET = "ADMINwJalrXUtnFEMI/K7MDENG/bPxEXAMPLEKEY";

const SECRETS: Record<string, string> = {
  "the Census secret key": CENSUS_SECRET,
  "the rotated Census secret key": ROTATED_SECRET,
  "the administrator's secret key": ADMIN_SECRET,
};

const moto = useMoto({ resetBeforeEach: false });
let home: string;
let projectId: string;
let stack: string;

beforeAll(() => {
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: ADMIN_SECRET });
});

beforeEach(async () => {
  await moto.reset();
  home = mkdtempSync(join(tmpdir(), "census-pinpoint-secrets-"));
  const pinpoint = new PinpointClient({ region: REGION });
  const created = await pinpoint.send(new CreateAppCommand({ CreateApplicationRequest: { Name: "Marketing" } }));
  pinpoint.destroy();
  projectId = created.ApplicationResponse!.Id!;
  stack = `${REGION}-${projectId}`;
});

afterEach(() => rmSync(home, { recursive: true, force: true }));

interface Run {
  label: string;
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(argv: string[], fake: FakePulumi, options: { script?: Script; terminal?: boolean } = {}): Promise<Run> {
  const captured = captureIo({ ...process.env, CENSUS_PINPOINT_HOME: home }, { terminal: options.terminal });
  const code = await main(argv, captured.io, { pulumiCommand: fake as unknown as PulumiCommand, prompter: scriptedPrompter(options.script ?? {}).prompter });
  return { label: `census-pinpoint ${argv.join(" ")}`, code, stdout: captured.stdout(), stderr: captured.stderr() };
}

/**
 * Every place a secret turned up that it must not: stderr, stdout unless listed in `shown`, and any
 * file under CENSUS_PINPOINT_HOME but `allowedFile`. Each listed secret must really be on stdout,
 * so a run that printed nothing cannot pass for a safe one.
 */
function leaks(run: Run, { shown = [], allowedFile }: { shown?: string[]; allowedFile?: string } = {}): string[] {
  const found: string[] = [];
  const files = filesUnder(home).filter((file) => file !== allowedFile);
  for (const [name, secret] of Object.entries(SECRETS)) {
    if (run.stderr.includes(secret)) found.push(`${run.label}: ${name} on stderr`);
    if (run.stdout.includes(secret) !== shown.includes(secret)) found.push(`${run.label}: ${name} ${shown.includes(secret) ? "missing from" : "unasked on"} stdout`);
    for (const file of files) if (readFileSync(file, "latin1").includes(secret)) found.push(`${run.label}: ${name} in ${relative(home, file)}`);
  }
  return found;
}

/**
 * `rotate-key --finish` asks IAM for the stack's keys before it deletes one; the fake's keys exist only
 * in its outputs, so for that command IAM (and only IAM) answers with them.
 */
async function withIamHoldingKeysOf<T>(fake: FakePulumi, run: () => Promise<T>): Promise<T> {
  const outputs = fake.stacks.get(stack)?.outputs ?? {};
  const iam = mockClient(IAMClient);
  iam.on(ListAccessKeysCommand).resolves({
    AccessKeyMetadata: [outputs.previousAccessKeyId, outputs.accessKeyId].flatMap((id) => (id ? [{ AccessKeyId: id, Status: "Active" as const }] : [])),
  });
  iam.on(GetAccessKeyLastUsedCommand).resolves({ AccessKeyLastUsed: { LastUsedDate: new Date("2026-11-30T08:00:00Z"), ServiceName: "s3", Region: REGION } });
  try {
    return await run();
  } finally {
    iam.restore();
  }
}

/** `setup` with the values of this test's project; the connection test is left to `verify`. */
const setupFlags = () => ["setup", "--region", REGION, "--project-id", projectId, "--skip-verify"];

describe("every command, as it succeeds", () => {
  test("the secret is printed only where the user asked for it, and no file under CENSUS_PINPOINT_HOME holds it", async () => {
    const fake = new FakePulumi();
    // An explicit --output-file is the one file that holds the secret, even inside CENSUS_PINPOINT_HOME.
    const outputFile = join(home, "census.json");
    const runs: Run[] = [];
    const found: string[] = [];
    const expectRun = async (argv: string[], expected: { code?: number; shown?: string[]; script?: Script; terminal?: boolean } = {}) => {
      const run = await cli(argv, fake, expected);
      expect({ run: run.label, code: run.code }).toEqual({ run: run.label, code: expected.code ?? EXIT.ok });
      runs.push(run);
      found.push(...leaks(run, { shown: expected.shown, allowedFile: outputFile }));
      return run;
    };

    const wizard: Script = { chooseRegion: [REGION], chooseProject: [projectId], wantsToCustomize: [false], confirmSetup: [true] };
    await expectRun(["setup", "--skip-verify"], { script: wizard, terminal: true, shown: [CENSUS_SECRET] });
    await expectRun([...setupFlags(), "--no-input", "--yes", "--json", "--verbose"], { shown: [CENSUS_SECRET] });
    await expectRun([...setupFlags(), "--no-input", "--yes", "--verbose", "--output-file", outputFile], { shown: [CENSUS_SECRET] });
    expect(readFileSync(outputFile, "utf8")).toContain(CENSUS_SECRET);
    expect(statSync(outputFile).mode & 0o777).toBe(0o600);

    await expectRun(["plan", "--region", REGION, "--project-id", projectId, "--account-id", "123456789012"]);
    await expectRun(["credentials", "--verbose"]);
    await expectRun(["credentials", "--json"]);
    await expectRun(["credentials", "--format", "env"]);
    await expectRun(["credentials", "--show-secret"], { shown: [CENSUS_SECRET] });
    await expectRun(["credentials", "--show-secret", "--json"], { shown: [CENSUS_SECRET] });
    const dotenv = await expectRun(["credentials", "--show-secret", "--format", "env"], { shown: [CENSUS_SECRET] });
    expect(dotenv.stdout).toContain(`CENSUS_PINPOINT_SECRET_ACCESS_KEY=${CENSUS_SECRET}`);
    await expectRun(["list", "--verbose"]);
    await expectRun(["list", "--json"]);
    // verify reads the secret to call AWS with it; the fake created nothing in moto, so checks fail (exit 5).
    await expectRun(["verify", "--verbose"], { code: EXIT.verification });
    await expectRun(["verify", "--json"], { code: EXIT.verification });

    await expectRun(["rotate-key", "--no-input", "--json", "--verbose"], { shown: [ROTATED_SECRET] });
    await expectRun(["rotate-key"], { terminal: true, script: { confirmOldKeyDeletion: [false] }, shown: [ROTATED_SECRET] });
    await expectRun(["credentials", "--show-secret", "--json"], { shown: [ROTATED_SECRET] });
    await withIamHoldingKeysOf(fake, () => expectRun(["rotate-key", "--finish", "--yes", "--no-input", "--json", "--verbose"]));
    await expectRun(["teardown", "--yes", "--no-input", "--json", "--verbose"]);

    expect(found).toEqual([]);
    // The generated passphrase unlocks the stack's secrets: it stays in its own file, readable by the user alone.
    const passphrase = join(home, "passphrase");
    expect(statSync(passphrase).mode & 0o777).toBe(0o600);
    const phrase = readFileSync(passphrase, "utf8");
    expect(runs.filter((run) => `${run.stdout}${run.stderr}`.includes(phrase)).map((run) => run.label)).toEqual([]);
  }, 120_000);
});

describe("failures, with --verbose", () => {
  test("an update failing with the secret in the CLI's output, a provider error and a warning: exit 4, the secret masked everywhere", async () => {
    const fake = new FakePulumi();
    fake.failNext("up", {
      stdout: `Updating (${stack}):\n    aws:iam:AccessKey census-access-key  secret=${CENSUS_SECRET}\n`,
      stderr: `error: update failed\nerror: signing with ${ADMIN_SECRET} failed; returned ${CENSUS_SECRET}`,
      events: [
        warningEvent(`the provider logged the key ${CENSUS_SECRET}`),
        ...failedResourceEvents(stack, "create", "aws:iam/accessKey:AccessKey", "census-access-key", `error: creating IAM Access Key: echoed ${CENSUS_SECRET}`),
      ],
    });
    const run = await cli([...setupFlags(), "--no-input", "--yes", "--verbose"], fake);

    expect(run.code).toBe(EXIT.pulumi);
    // What the CLI said is still shown, with the secrets cut out.
    expect(run.stderr).toContain("failed to create access key census-access-key");
    expect(run.stderr).toContain("creating IAM Access Key: echoed [redacted]");
    expect(run.stderr).toContain("the provider logged the key [redacted]");
    expect(run.stderr).toContain("secret=[redacted]");
    expect(leaks(run)).toEqual([]);
  });

  test("the day-2 commands failing with the secret in the CLI's text: nothing shows it", async () => {
    const fake = new FakePulumi();
    expect((await cli([...setupFlags(), "--no-input", "--yes"], fake)).code).toBe(EXIT.ok);
    const found: string[] = [];
    const failing = async (argv: string[], prefix: string, code: number, events: FakeEvent[] = []) => {
      fake.failNext(prefix, { stderr: `error: could not decrypt ${CENSUS_SECRET} (admin ${ADMIN_SECRET})`, events });
      const run = await cli([...argv, "--verbose"], fake);
      expect({ run: run.label, code: run.code }).toEqual({ run: run.label, code });
      found.push(...leaks(run));
    };

    await failing(["credentials", "--show-secret"], "stack output", EXIT.pulumi);
    await failing(["credentials", "--show-secret", "--json"], "stack output", EXIT.pulumi);
    // list reports an unreadable stack inside its result (on stdout with --json) instead of failing.
    await failing(["list", "--json"], "stack output", EXIT.ok);
    await failing(["verify", "--json"], "stack output", EXIT.pulumi);
    await failing(["rotate-key", "--no-input", "--json"], "up", EXIT.pulumi);
    // Phase 1 resumed, so that phase 2 has an old key to fail deleting.
    const resumed = await cli(["rotate-key", "--no-input", "--json"], fake);
    expect(resumed.code).toBe(EXIT.ok);
    found.push(...leaks(resumed, { shown: [ROTATED_SECRET] }));
    await withIamHoldingKeysOf(fake, () => failing(["rotate-key", "--finish", "--yes", "--no-input"], "up", EXIT.pulumi));
    await failing(["teardown", "--yes", "--no-input", "--json"], "destroy --yes", EXIT.pulumi, [
      ...failedResourceEvents(stack, "delete", "aws:iam/accessKey:AccessKey", "census-access-key", `error: deleting IAM Access Key: echoed ${CENSUS_SECRET}`),
    ]);

    expect(found).toEqual([]);
  }, 60_000);

  describe("an AWS answer that quotes the secrets", () => {
    let leaky: Server;

    // An STS endpoint whose every answer is an error echoing both keys, as a misbehaving proxy might.
    beforeEach(async () => {
      leaky = createServer((request, response) => {
        request.resume().on("end", () => {
          response.writeHead(403, { "content-type": "text/xml" });
          response.end(
            `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code>` +
              `<Message>The security token included in the request is invalid: signed with ${ADMIN_SECRET} or ${CENSUS_SECRET}</Message></Error>` +
              `<RequestId>0c7a8e9a-0000-4000-8000-000000000000</RequestId></ErrorResponse>`,
          );
        });
      });
      await new Promise<void>((resolve) => leaky.listen(0, "127.0.0.1", resolve));
    });

    afterEach(async () => {
      delete process.env.AWS_ENDPOINT_URL_STS;
      await new Promise((resolve) => leaky.close(resolve));
    });

    const useLeakySts = () => (process.env.AWS_ENDPOINT_URL_STS = `http://127.0.0.1:${(leaky.address() as AddressInfo).port}`);

    test("setup: the administrator's credentials refused, exit 3, the message redacted", async () => {
      useLeakySts();
      const run = await cli([...setupFlags(), "--no-input", "--yes", "--verbose"], new FakePulumi());

      expect(run.code).toBe(EXIT.aws);
      expect(run.stderr).toContain("AWS rejected the default AWS credentials on STS GetCallerIdentity");
      expect(run.stderr).toContain("[redacted]");
      expect(leaks(run)).toEqual([]);
    });

    test("verify: the Census key and the administrator's credentials refused, the checklist names AWS's code without its text", async () => {
      const fake = new FakePulumi();
      expect((await cli([...setupFlags(), "--no-input", "--yes"], fake)).code).toBe(EXIT.ok);
      useLeakySts();
      const run = await cli(["verify", "--json", "--verbose"], fake);

      expect(run.code).toBe(EXIT.verification);
      expect(JSON.parse(run.stdout).checks[0]).toMatchObject({ id: "key-identity", status: "failed", detail: expect.stringContaining("InvalidClientTokenId") });
      expect(leaks(run)).toEqual([]);
    });
  });
});
