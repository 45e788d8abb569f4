// The command table and the top-level handler: help, version, usage errors and their exit codes.
import { readFileSync } from "node:fs";
import { defaultBucketName, defaultCensusUserName, defaultImporterRoleName } from "../../infra/names.js";
import type { StagingPlan } from "../../infra/plan.js";
import { DEFAULT_EXPIRATION_DAYS, MAX_EXPIRATION_DAYS, MIN_EXPIRATION_DAYS } from "../../infra/validation.js";
import { main } from "../../wizard/cli.js";
import { EXIT } from "../../wizard/errors.js";
import { captureIo } from "../helpers/cliIo.js";

const COMMANDS = ["setup", "plan", "credentials", "verify", "rotate-key", "list", "status", "audit", "adopt", "retire", "teardown", "doctor"];

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const captured = captureIo({ CENSUS_PINPOINT_HOME: "/nonexistent/census-pinpoint-home", ...env });
  const code = await main(argv, captured.io);
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}

test("--version prints the package's version on stdout", async () => {
  const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  const result = await run(["--version"]);
  expect(result).toMatchObject({ code: EXIT.ok, stdout: `${version}\n`, stderr: "" });
});

test("--help lists every command, the environment and the exit codes", async () => {
  const result = await run(["--help"]);
  expect(result.code).toBe(EXIT.ok);
  for (const command of COMMANDS) expect(result.stdout).toContain(command);
  expect(result.stdout).toContain("CENSUS_PINPOINT_HOME");
  // The footer is wrapped to the help's width: read as one text.
  expect(result.stdout.replace(/\s+/g, " ")).toContain("130/143/129 stopped by SIGINT/SIGTERM/SIGHUP");
});

test.each(COMMANDS)("%s --help shows its flags and at least one example", async (command) => {
  const result = await run([command, "--help"]);
  expect(result.code).toBe(EXIT.ok);
  expect(result.stdout).toContain(`Usage: census-pinpoint ${command}`);
  expect(result.stdout).toMatch(/Examples:\n {2}\$ census-pinpoint/);
});

test.each(["setup", "plan"])("%s --help shows the defaults setup applies: the expiry and its range, and the names once filled in", async (command) => {
  const help = (await run([command, "--help"])).stdout.replace(/\s+/g, " ");
  const shown = (flag: string) => help.match(new RegExp(`${flag} <\\w+> [^(]*\\(default: (\\S+)\\)`))?.[1];
  const [, min, max, days] = help.match(/--expiration-days <days> days after which staged files expire, (\d+)-(\d+) \(default: (\d+)\)/) ?? [];
  expect([min, max, days].map(Number)).toEqual([MIN_EXPIRATION_DAYS, MAX_EXPIRATION_DAYS, DEFAULT_EXPIRATION_DAYS]);
  const projectId = "0123456789abcdef0123456789abcdef";
  const fill = (pattern: string | undefined) => pattern?.replace("<id8>", projectId.slice(0, 8)).replace("<acct>", "123456789012").replace("<region>", "eu-west-1");
  expect(fill(shown("--bucket-name"))).toBe(defaultBucketName("123456789012", "eu-west-1", projectId));
  expect(fill(shown("--importer-role-name"))).toBe(defaultImporterRoleName(projectId));
  expect(fill(shown("--census-user-name"))).toBe(defaultCensusUserName(projectId));
});

test.each(["", ...COMMANDS])("%s --help fits 80 columns: no line wider, examples continued with a backslash", async (command) => {
  const help = (await run(command === "" ? ["--help"] : [command, "--help"])).stdout;
  expect(help.split("\n").filter((line) => line.length > 80)).toEqual([]);
  // Joined at their backslashes, the examples are whole command lines again, as a shell reads them.
  const examples = (help.split("\nExamples:\n")[1] ?? "").replace(/ \\\n {6}/g, " ").split("\n").filter(Boolean);
  for (const example of examples) expect(example).toMatch(/^ {2}\$ census-pinpoint( \S+)*$/);
});

test.each(COMMANDS)("%s --help: every flag its examples use is one of its flags", async (command) => {
  const [options = "", examples = ""] = (await run([command, "--help"])).stdout.split("\nExamples:\n");
  const known = new Set(options.match(/--[a-z-]+/g));
  for (const flag of examples.match(/--[a-z-]+/g) ?? []) expect({ flag, known: known.has(flag) }).toEqual({ flag, known: true });
});

test("an unknown flag exits 2 with the flag named and where to look", async () => {
  const result = await run(["setup", "--regoin", "us-east-1"]);
  expect(result.code).toBe(EXIT.usage);
  expect(result.stdout).toBe("");
  expect(result.stderr.split("\n")[0]).toBe("✖ unknown option '--regoin'");
  expect(result.stderr).toContain("(Did you mean --region?)");
  expect(result.stderr).toContain("census-pinpoint --help");
});

test("an unknown command exits 2 naming the commands there are", async () => {
  const result = await run(["destroy", "--yes"]);
  expect(result.code).toBe(EXIT.usage);
  expect(result.stderr.split("\n")[0]).toBe('✖ Unknown command "destroy".');
  expect(result.stderr).toContain("Commands: setup, plan, credentials, verify, rotate-key, list, status, teardown, audit, adopt, retire, doctor.");
});

test("status --all with a stack named is refused (exit 2) before any backend is read", async () => {
  const result = await run(["status", "--all", "--stack", "us-east-1-0123456789abcdef0123456789abcdef", "--region", "us-east-1"]);
  expect(result.code).toBe(EXIT.usage);
  expect(result.stdout).toBe("");
  expect(result.stderr.split("\n")[0]).toBe("✖ --all checks every stack in the backend: it cannot be combined with --stack or --region.");
  expect(result.stderr).toContain("Pass --all alone, or name one stack without --all.");
});

test("errors carry no colour codes when NO_COLOR is set, even on a terminal", async () => {
  const captured = captureIo({ NO_COLOR: "1", FORCE_COLOR: "1" }, { terminal: true });
  const code = await main(["plan", "--bogus"], captured.io);
  expect(code).toBe(EXIT.usage);
  expect(captured.stderr()).not.toMatch(/\x1b\[3\dm/);
});

test("plan --json is one JSON document on stdout, offline with --account-id", async () => {
  const result = await run(["plan", "--region", "us-east-1", "--project-id", "0123456789abcdef0123456789abcdef", "--account-id", "123456789012", "--json", "--no-input"]);
  expect(result.code).toBe(EXIT.ok);
  const plan = JSON.parse(result.stdout);
  expect(plan).toMatchObject({ accountId: "123456789012", region: "us-east-1", bucketName: "census-pinpoint-staging-01234567-123456789012-us-east-1" });
  expect(plan.policies.censusAccess.Statement.length).toBeGreaterThan(0);
});

test("plan --json with --kms-key-arn: KMS grants only through S3 for the bucket, uploads under the key only, the trust for the project and its jobs", async () => {
  const key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  const app = "arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123456789abcdef0123456789abcdef";
  const bucket = "arn:aws:s3:::census-pinpoint-staging-01234567-123456789012-us-east-1";
  const result = await run(["plan", "--region", "us-east-1", "--project-id", "0123456789abcdef0123456789abcdef", "--account-id", "123456789012", "--kms-key-arn", key, "--json", "--no-input"]);
  expect(result.code).toBe(EXIT.ok);
  const { policies } = JSON.parse(result.stdout) as StagingPlan;
  const kmsGrants = [...policies.censusAccess.Statement, ...policies.importerAccess.Statement].filter((s) => JSON.stringify(s.Action).includes("kms:"));
  expect(kmsGrants.map((s) => [s.Sid, s.Resource, s.Condition])).toEqual(
    ["EncryptStagedFiles", "DecryptStagedFiles"].map((sid) => [sid, key, { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com", "kms:EncryptionContext:aws:s3:arn": bucket } }]),
  );
  expect(policies.bucket.Statement.map((s) => s.Sid)).toEqual(["DenyInsecureTransport", "DenyOtherEncryption", "DenyOtherKmsKey", "DenyKmsWithoutKeyId", "DenyCustomerProvidedKeys"]);
  expect(policies.importerTrust.Statement[0]!.Condition!.ArnLike).toEqual({ "aws:SourceArn": [app, `${app}/*`] });
});
