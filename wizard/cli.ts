/**
 * The command table and the one top-level handler: parses argv, runs the chosen command, and maps any
 * error to a message on stderr and an exit code (via errors.ts). Commands load lazily so `--help` and
 * the first prompt stay fast.
 */
import type { PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import { Command, CommanderError, Option } from "commander";
import { createRequire } from "node:module";
import { refuseFlagsTakenAsValues } from "./commands/flagValues.js";
import { EXIT, exitCodeFor, UsageError } from "./errors.js";
import type { Prompter } from "./prompts.js";
import type { Renderer } from "./render.js";

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/** What tests put in place of the real world: a fake Pulumi CLI, scripted answers. */
export interface CliOverrides {
  pulumiCommand?: PulumiCommand;
  prompter?: Prompter;
  /** Where Ctrl-C arrives (process by default): a test sends SIGINT without signalling its own runner. */
  signals?: Pick<NodeJS.Process, "on" | "off">;
}

export interface CommandContext extends CliOverrides {
  io: CliIo;
  render: Renderer;
  /** False with --no-input or when stdin is not a terminal: then nothing may prompt. */
  interactive: boolean;
}

/** Every flag the CLI knows, defined once; commands pick theirs by key. */
const FLAGS = {
  projectId: ["--project-id <id>", "Amazon Pinpoint project (application) ID"],
  region: ["--region <region>", "region of the Pinpoint project (default: AWS_REGION)"],
  profile: ["--profile <name>", "AWS named profile (default: AWS_PROFILE)"],
  accountId: ["--account-id <id>", "AWS account ID, when no AWS credentials are available"],
  bucketName: ["--bucket-name <name>", "staging bucket (default: census-pinpoint-staging-<id8>-<account>-<region>)"],
  expirationDays: ["--expiration-days <days>", "days after which staged files expire, 1-3650 (default: 7)"],
  importerRoleName: ["--importer-role-name <name>", "role Pinpoint assumes (default: CensusPinpointSegmentImporter-<id8>)"],
  censusUserName: ["--census-user-name <name>", "IAM user whose key Census holds (default: census-pinpoint-<id8>)"],
  kmsKeyArn: ["--kms-key-arn <arn>", "encrypt staged files with this KMS key (default: SSE-S3)"],
  backendUrl: ["--backend-url <url>", "Pulumi backend (default: PULUMI_BACKEND_URL, else a local file backend)"],
  secretsProvider: ["--secrets-provider <provider>", "what encrypts the stack's secrets: awskms://<key>?region=<region> for a team, default on Pulumi Cloud (default there), passphrase (default elsewhere)"],
  outputFile: ["--output-file <file>", "also write the result as JSON to this file (mode 0600)"],
  force: ["--force", "let --output-file overwrite an existing file"],
  yes: ["-y, --yes", "skip the final confirmation"],
  acceptEndOfSupport: [
    "--accept-end-of-support",
    "go on when Amazon Pinpoint does not confirm the project (refused since its end of support on 30 October 2026, access denied, no answer); without it nothing is created (exit 5) and a terminal asks",
  ],
  allowReplace: ["--allow-replace", "let an update replace or delete the staging bucket (with its files) or Census's user or key; --yes alone does not"],
  noInput: ["--no-input", "never prompt; a missing required value exits with code 2"],
  json: ["--json", "print exactly one JSON document on stdout"],
  verbose: ["--verbose", "show the raw Pulumi engine output"],
  stack: ["--stack <name>", "the stack, <region>-<projectId> (instead of --region and --project-id)"],
  showSecret: ["--show-secret", "print the Secret Key instead of masking it"],
  format: ["--format <format>", "output format: pretty, json or env (dotenv lines)"],
  skipVerify: ["--skip-verify", "do not run the connection test after provisioning"],
  finish: ["--finish", "phase 2: delete the previous access key (after Census uses the new one)"],
  keepState: ["--keep-state", "delete the resources only; keep the stack, its history and its work dir"],
  bucket: ["--bucket <name>", "staging bucket to check (instead of the stack's)"],
  roleArn: ["--role-arn <arn>", "importer role to check (instead of the stack's)"],
  keyProfile: ["--key-profile <name>", "AWS profile holding the Census access key (instead of the stack's key)"],
  all: ["--all", "every stack of this tool in the backend"],
  censusUser: ["--census-user <name>", "IAM user whose key Census holds (instead of --key-profile: every key of that user is reviewed)"],
  existingBucket: ["--existing-bucket <name>", "the staging bucket made by hand, which the stack takes over with its files"],
  accessKeyId: ["--access-key-id <id>", "the old access key Census held (instead of --key-profile)"],
  keepRole: ["--keep-role", "keep the old importer role; only detach AmazonS3ReadOnlyAccess and other policies reaching beyond the staging bucket"],
} as const satisfies Record<string, readonly [string, string]>;

type FlagKey = keyof typeof FLAGS;

/** What commander hands a command: camel-cased flags (`--no-input` arrives as `input: false`). */
export type ParsedFlags = Record<string, string | boolean | undefined>;

interface CommandSpec {
  name: string;
  summary: string;
  isDefault?: boolean;
  flags: FlagKey[];
  examples: string[];
  run: () => Promise<(flags: ParsedFlags, context: CommandContext) => Promise<void>>;
}

/** How the day-2 commands name a stack and reach its backend. */
const STACK_FLAGS: FlagKey[] = ["projectId", "region", "stack", "profile", "backendUrl"];

const INPUT_FLAGS: FlagKey[] = ["projectId", "region", "profile", "bucketName", "expirationDays", "importerRoleName", "censusUserName", "kmsKeyArn"];

const COMMANDS: CommandSpec[] = [
  {
    name: "setup",
    summary: "create or update the staging bucket, importer role and Census access key; print Census's six values",
    isDefault: true,
    flags: [...INPUT_FLAGS, "backendUrl", "secretsProvider", "outputFile", "force", "skipVerify", "yes", "allowReplace", "acceptEndOfSupport", "noInput", "json", "verbose"],
    examples: [
      "census-pinpoint",
      "census-pinpoint setup --region us-east-1 --project-id 0123456789abcdef0123456789abcdef --yes",
      "census-pinpoint setup --no-input --json --region eu-west-1 --project-id <id> > census.json",
    ],
    run: async () => (await import("./commands/setup.js")).setupCommand,
  },
  {
    name: "plan",
    summary: "print every resource and the exact policy JSON setup would create (offline, no Pulumi CLI needed)",
    flags: [...INPUT_FLAGS, "accountId", "noInput", "json"],
    examples: [
      "census-pinpoint plan --region us-east-1 --project-id 0123456789abcdef0123456789abcdef",
      "census-pinpoint plan --region eu-west-1 --project-id <id> --account-id 123456789012 --json",
    ],
    run: async () => (await import("./commands/plan.js")).planCommand,
  },
  {
    name: "credentials",
    summary: "print Census's six values again from a stack (the Secret Key masked unless --show-secret)",
    flags: [...STACK_FLAGS, "showSecret", "format", "json", "noInput", "verbose"],
    examples: [
      "census-pinpoint credentials --region us-east-1 --project-id 0123456789abcdef0123456789abcdef",
      "census-pinpoint credentials --show-secret --format env > census.env",
    ],
    run: async () => (await import("./commands/credentials.js")).credentialsCommand,
  },
  {
    name: "verify",
    summary: "run the connection test Census runs, with the Census key, and explain each failure",
    flags: [...STACK_FLAGS, "bucket", "roleArn", "keyProfile", "json", "noInput", "verbose"],
    examples: [
      "census-pinpoint verify",
      "census-pinpoint verify --region eu-west-1 --project-id <id> --bucket my-staging --role-arn arn:aws:iam::123456789012:role/Importer --key-profile census",
    ],
    run: async () => (await import("./commands/verify.js")).verifyCommand,
  },
  {
    name: "rotate-key",
    summary: "rotate the Census access key without downtime (a second key first, the old one removed with --finish)",
    flags: [...STACK_FLAGS, "finish", "yes", "allowReplace", "noInput", "json", "verbose"],
    examples: ["census-pinpoint rotate-key", "census-pinpoint rotate-key --finish --yes"],
    run: async () => (await import("./commands/rotateKey.js")).rotateKeyCommand,
  },
  {
    name: "list",
    summary: "list the stacks this tool manages, with the age of each access key",
    flags: ["profile", "backendUrl", "json", "verbose"],
    examples: ["census-pinpoint list", "census-pinpoint list --json"],
    run: async () => (await import("./commands/list.js")).listCommand,
  },
  {
    name: "status",
    summary: "read-only: what differs in AWS from the last update, key age and last use, a pending rotation, whether Pinpoint answers",
    flags: [...STACK_FLAGS, "all", "json", "noInput", "verbose"],
    examples: ["census-pinpoint status", "census-pinpoint status --all --json"],
    run: async () => (await import("./commands/status.js")).statusCommand,
  },
  {
    name: "teardown",
    summary: "delete everything a stack created, after confirmation, and check nothing is left",
    flags: [...STACK_FLAGS, "keepState", "yes", "noInput", "json", "verbose"],
    examples: [
      "census-pinpoint teardown --region us-east-1 --project-id 0123456789abcdef0123456789abcdef",
      "census-pinpoint teardown --stack us-east-1-0123456789abcdef0123456789abcdef --yes --no-input",
    ],
    run: async () => (await import("./commands/teardown.js")).teardownCommand,
  },
  {
    name: "audit",
    summary: "read-only: review the posture of any setup, made by this tool or by hand: importer role, Census's identity, bucket, project",
    flags: [...STACK_FLAGS, "bucket", "roleArn", "keyProfile", "censusUser", "json", "noInput", "verbose"],
    examples: [
      "census-pinpoint audit --stack us-east-1-0123456789abcdef0123456789abcdef",
      "census-pinpoint audit --region eu-west-1 --project-id <id> --bucket my-staging --role-arn arn:aws:iam::123456789012:role/PinpointImporter --key-profile census",
    ],
    run: async () => (await import("./commands/audit.js")).auditCommand,
  },
  {
    name: "adopt",
    summary: "bring a setup made by hand under a stack without an outage: its bucket is taken over, a least-privilege role, user and key are made beside the old ones",
    flags: [...INPUT_FLAGS.filter((key) => key !== "bucketName"), "existingBucket", "backendUrl", "secretsProvider", "outputFile", "force", "skipVerify", "yes", "acceptEndOfSupport", "noInput", "json", "verbose"],
    examples: ["census-pinpoint adopt --region us-east-1 --project-id 0123456789abcdef0123456789abcdef --existing-bucket my-census-staging"],
    run: async () => (await import("./commands/adopt.js")).adoptCommand,
  },
  {
    name: "retire",
    summary: "after adopt: remove the old key and importer role of a setup made by hand, each named and confirmed, then audit again",
    flags: ["projectId", "region", "profile", "roleArn", "keyProfile", "accessKeyId", "keepRole", "backendUrl", "yes", "noInput", "json", "verbose"],
    examples: [
      "census-pinpoint retire --region us-east-1 --project-id <id> --role-arn arn:aws:iam::123456789012:role/PinpointImporter --key-profile census-old",
      "census-pinpoint retire --region us-east-1 --project-id <id> --access-key-id AKIAI44QH8DHBEXAMPLE --role-arn <arn> --yes --no-input",
    ],
    run: async () => (await import("./commands/retire.js")).retireCommand,
  },
  {
    name: "doctor",
    summary: "read-only: check Node.js, the Pulumi CLI, AWS credentials, region, your permissions, the backend and the stacks' secrets",
    flags: ["profile", "region", "backendUrl", "json", "noInput", "verbose"],
    examples: ["census-pinpoint doctor", "census-pinpoint doctor --profile admin --region eu-west-1 --json"],
    run: async () => (await import("./commands/doctor.js")).doctorCommand,
  },
];

function packageVersion(): string {
  const require = createRequire(import.meta.url);
  // wizard/cli.ts in the sources, dist/wizard/bin.js (the bundle) once built.
  for (const path of ["../package.json", "../../package.json"]) {
    try {
      const manifest = require(path) as { name?: string; version: string };
      if (manifest.name === "census-pinpoint") return manifest.version;
    } catch {
      // Not at this level: try the next one up.
    }
  }
  throw new Error("census-pinpoint's package.json was not found next to its code");
}

function buildProgram(io: CliIo, onRun: (spec: CommandSpec, flags: ParsedFlags) => Promise<void>): Command {
  const program = new Command("census-pinpoint")
    .description("Set up everything Census needs to sync segments into Amazon Pinpoint, in one command.")
    .version(packageVersion(), "-v, --version")
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: () => {}, outputError: () => {} })
    .showSuggestionAfterError(true);
  for (const spec of COMMANDS) {
    const command = program.command(spec.name, { isDefault: spec.isDefault }).description(spec.summary).exitOverride();
    for (const key of spec.flags) {
      const [flag, description]: readonly [string, string] = FLAGS[key];
      command.addOption(new Option(flag, description));
    }
    command.addHelpText("after", `\nExamples:\n${spec.examples.map((line) => `  $ ${line}`).join("\n")}\n`);
    command.allowExcessArguments(false).action((flags: ParsedFlags) => onRun(spec, flags));
  }
  program.addHelpText(
    "after",
    "\nEnvironment: AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, NO_COLOR, PULUMI_BACKEND_URL,\n" +
      "PULUMI_CONFIG_PASSPHRASE(_FILE), CENSUS_PINPOINT_HOME (default ~/.census-pinpoint).\n" +
      "Exit codes: 0 ok, 1 unexpected, 2 bad input, 3 AWS credentials/permissions, 4 Pulumi, 5 verification failed or findings, 130/143/129 stopped by SIGINT/SIGTERM/SIGHUP.\n",
  );
  return program;
}

/** Runs the CLI and returns the exit code; never throws. */
export async function main(argv: string[], io: CliIo, overrides: CliOverrides = {}): Promise<number> {
  // The renderer (and chalk) loads only when there is something to render: `--help` stays light.
  const renderer = async (verbose: boolean) =>
    (await import("./render.js")).createRenderer({ stdout: io.stdout, stderr: io.stderr, env: io.env, isTTY: Boolean(io.stderr.isTTY), verbose });
  let render: Renderer | undefined;
  const program = buildProgram(io, async (spec, flags) => {
    render = await renderer(flags.verbose === true);
    // Prompts draw on stderr: with stderr redirected to a file they would be invisible.
    const interactive = flags.input !== false && Boolean(io.stdin.isTTY) && Boolean(io.stderr.isTTY);
    const command = await spec.run();
    await command(flags, { ...overrides, io, render, interactive });
  });
  try {
    // With `setup` as the default command, commander would read a mistyped command as setup's
    // argument and complain about "too many arguments".
    const first = argv[0];
    if (first !== undefined && !first.startsWith("-") && first !== "help" && !COMMANDS.some((spec) => spec.name === first)) {
      throw new UsageError(`Unknown command "${first}".`, `Commands: ${COMMANDS.map((spec) => spec.name).join(", ")}. Run \`census-pinpoint --help\` for more.`);
    }
    refuseFlagsTakenAsValues(argv, Object.values(FLAGS).map(([definition]) => definition));
    await program.parseAsync(argv, { from: "user" });
    return EXIT.ok;
  } catch (error) {
    const failure = error instanceof CommanderError ? commanderFailure(error) : error;
    if (failure === undefined) return EXIT.ok;
    render ??= await renderer(argv.includes("--verbose"));
    render.stop();
    render.error(failure);
    return exitCodeFor(failure);
  }
}

/** Help and version are not failures; every other commander complaint is bad usage (exit 2). */
function commanderFailure(error: CommanderError): UsageError | undefined {
  if (error.exitCode === 0) return undefined;
  return new UsageError(error.message.replace(/^error: /, ""), "Run `census-pinpoint --help` for the commands and their flags.");
}
