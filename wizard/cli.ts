/**
 * The command table and the one top-level handler: parses argv, runs the chosen command, and maps any
 * error to a message on stderr and an exit code (via errors.ts). Commands load lazily so `--help` and
 * the first prompt stay fast.
 */
import { Command, CommanderError, Option } from "commander";
import { createRequire } from "node:module";
import { COMMAND_FLAGS, type CommandName, type CommandOptions } from "./commands/commandFlags.js";
import type { CliIo, CliOverrides, CommandContext } from "./commands/context.js";
import { FLAGS, type FlagKey } from "./commands/flagRegistry.js";
import { refuseFlagsTakenAsValues } from "./commands/flagValues.js";
import { EXIT, exitCodeFor, UsageError } from "./errors.js";
import { wrapWords } from "./layout/wrap.js";
import type { Renderer } from "./render.js";

/** The options as parsed, by registry key: commander's own names differ (`--no-input` arrives as `input: false`). */
type ParsedOptions = Partial<Record<FlagKey, string | boolean>>;

interface CommandSpec<C extends CommandName> {
  summary: string;
  isDefault?: boolean;
  examples: string[];
  run: () => Promise<(options: CommandOptions<C>, context: CommandContext) => Promise<void>>;
}

/** In the help's order; each command's flags are in commands/commandFlags.ts. */
const COMMANDS: { [C in CommandName]: CommandSpec<C> } = {
  setup: {
    summary: "create or update the staging bucket, importer role and Census access key; print Census's six values",
    isDefault: true,
    examples: [
      "census-pinpoint",
      "census-pinpoint setup --region us-east-1 --project-id 0123456789abcdef0123456789abcdef --yes",
      "census-pinpoint setup --no-input --json --region eu-west-1 --project-id <id> > census.json",
    ],
    run: async () => (await import("./commands/setup.js")).setupCommand,
  },
  plan: {
    summary: "print every resource and the exact policy JSON setup would create (offline, no Pulumi CLI needed)",
    examples: [
      "census-pinpoint plan --region us-east-1 --project-id 0123456789abcdef0123456789abcdef",
      "census-pinpoint plan --region eu-west-1 --project-id <id> --account-id 123456789012 --json",
    ],
    run: async () => (await import("./commands/plan.js")).planCommand,
  },
  credentials: {
    summary: "print Census's six values again from a stack (the Secret Key masked unless --show-secret)",
    examples: [
      "census-pinpoint credentials --region us-east-1 --project-id 0123456789abcdef0123456789abcdef",
      "census-pinpoint credentials --show-secret --format env > census.env",
    ],
    run: async () => (await import("./commands/credentials.js")).credentialsCommand,
  },
  verify: {
    summary: "run the connection test Census runs, with the Census key, and explain each failure",
    examples: [
      "census-pinpoint verify",
      "census-pinpoint verify --region eu-west-1 --project-id <id> --bucket my-staging --role-arn arn:aws:iam::123456789012:role/Importer --key-profile census",
    ],
    run: async () => (await import("./commands/verify.js")).verifyCommand,
  },
  "rotate-key": {
    summary: "rotate the Census access key without downtime (a second key first, the old one removed with --finish)",
    examples: ["census-pinpoint rotate-key", "census-pinpoint rotate-key --finish --yes"],
    run: async () => (await import("./commands/rotateKey.js")).rotateKeyCommand,
  },
  list: {
    summary: "list the stacks this tool manages, with the age of each access key",
    examples: ["census-pinpoint list", "census-pinpoint list --json"],
    run: async () => (await import("./commands/list.js")).listCommand,
  },
  status: {
    summary: "read-only: what differs in AWS from the last update, key age and last use, a pending rotation, whether Pinpoint answers",
    examples: ["census-pinpoint status", "census-pinpoint status --all --json"],
    run: async () => (await import("./commands/status.js")).statusCommand,
  },
  teardown: {
    summary: "delete everything a stack created, after confirmation, and check nothing is left",
    examples: [
      "census-pinpoint teardown --region us-east-1 --project-id 0123456789abcdef0123456789abcdef",
      "census-pinpoint teardown --stack us-east-1-0123456789abcdef0123456789abcdef --yes --no-input",
    ],
    run: async () => (await import("./commands/teardown.js")).teardownCommand,
  },
  audit: {
    summary: "read-only: review the posture of any setup, made by this tool or by hand: importer role, Census's identity, bucket, project",
    examples: [
      "census-pinpoint audit --stack us-east-1-0123456789abcdef0123456789abcdef",
      "census-pinpoint audit --region eu-west-1 --project-id <id> --bucket my-staging --role-arn arn:aws:iam::123456789012:role/PinpointImporter --key-profile census",
    ],
    run: async () => (await import("./commands/audit.js")).auditCommand,
  },
  adopt: {
    summary: "bring a setup made by hand under a stack without an outage: its bucket is taken over, a least-privilege role, user and key are made beside the old ones",
    examples: ["census-pinpoint adopt --region us-east-1 --project-id 0123456789abcdef0123456789abcdef --existing-bucket my-census-staging"],
    run: async () => (await import("./commands/adopt.js")).adoptCommand,
  },
  retire: {
    summary: "after adopt: remove the old key and importer role of a setup made by hand, each named and confirmed, then audit again",
    examples: [
      "census-pinpoint retire --region us-east-1 --project-id <id> --role-arn arn:aws:iam::123456789012:role/PinpointImporter --key-profile census-old",
      "census-pinpoint retire --region us-east-1 --project-id <id> --access-key-id AKIAI44QH8DHBEXAMPLE --role-arn <arn> --yes --no-input",
    ],
    run: async () => (await import("./commands/retire.js")).retireCommand,
  },
  doctor: {
    summary: "read-only: check Node.js, the Pulumi CLI, AWS credentials, region, your permissions, the backend and the stacks' secrets",
    examples: ["census-pinpoint doctor", "census-pinpoint doctor --profile admin --region eu-west-1 --json"],
    run: async () => (await import("./commands/doctor.js")).doctorCommand,
  },
};

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

/** A command, loaded. Its options type narrows ParsedOptions: both follow the registry's definitions, which commander parsed by. */
async function loadCommand(name: CommandName): Promise<(options: ParsedOptions, context: CommandContext) => Promise<void>> {
  return (await COMMANDS[name].run()) as (options: ParsedOptions, context: CommandContext) => Promise<void>;
}

const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

// Help is laid out for 80 columns, or a narrower terminal's width: commander wraps its own part to it,
// and the examples and the footer are wrapped to the same, so no line is broken inside a word.
const HELP_WIDTH = 80;

function helpWidth(stdout: CliIo["stdout"]): number {
  return stdout.isTTY && stdout.columns ? Math.min(stdout.columns, HELP_WIDTH) : HELP_WIDTH;
}

const HELP_FOOTER = [
  "Environment: AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, NO_COLOR, PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE(_FILE), CENSUS_PINPOINT_HOME (default ~/.census-pinpoint).",
  "Exit codes: 0 ok, 1 unexpected, 2 bad input, 3 AWS credentials/permissions, 4 Pulumi, 5 verification failed or findings, 130/143/129 stopped by SIGINT/SIGTERM/SIGHUP.",
];

/** An example command line, continued with backslashes where it is wider than the help: it still pastes as one command. */
function shellExample(line: string, width: number): string {
  return wrapWords(line, width - 2, "      ", "  $ ").join(" \\\n");
}

function buildProgram(io: CliIo, onRun: (name: CommandName, options: ParsedOptions) => Promise<void>): Command {
  const width = helpWidth(io.stdout);
  const program = new Command("census-pinpoint")
    .description("Set up everything Census needs to sync segments into Amazon Pinpoint, in one command.")
    .version(packageVersion(), "-v, --version")
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: () => {}, outputError: () => {} })
    .configureHelp({ helpWidth: width })
    .showSuggestionAfterError(true);
  for (const name of COMMAND_NAMES) {
    const spec = COMMANDS[name];
    const command = program.command(name, { isDefault: spec.isDefault }).description(spec.summary).exitOverride();
    const options = COMMAND_FLAGS[name].map((key: FlagKey) => {
      const [flag, description]: readonly [string, string] = FLAGS[key];
      const option = new Option(flag, description);
      command.addOption(option);
      return [key, option] as const;
    });
    command.addHelpText("after", `\nExamples:\n${spec.examples.map((line) => shellExample(line, width)).join("\n")}\n`);
    command.allowExcessArguments(false).action((parsed: Record<string, string | boolean | undefined>) => {
      // A negated flag (--no-input) is given when commander's value is false.
      const byKey: ParsedOptions = Object.fromEntries(
        options.map(([key, option]) => [key, option.negate ? parsed[option.attributeName()] === false : parsed[option.attributeName()]]),
      );
      return onRun(name, byKey);
    });
  }
  program.addHelpText(
    "after",
    ["", ...HELP_FOOTER.flatMap((paragraph) => wrapWords(paragraph, width)), ""].join("\n"),
  );
  return program;
}

/** Runs the CLI and returns the exit code; never throws. */
export async function main(argv: string[], io: CliIo, overrides: CliOverrides = {}): Promise<number> {
  // The renderer (and chalk) loads only when there is something to render: `--help` stays light.
  const renderer = async (verbose: boolean) =>
    (await import("./render.js")).createRenderer({ stdout: io.stdout, stderr: io.stderr, env: io.env, isTTY: Boolean(io.stderr.isTTY), verbose });
  let render: Renderer | undefined;
  const program = buildProgram(io, async (name, options) => {
    render = await renderer(options.verbose === true);
    const [command, { createIoHost }] = await Promise.all([loadCommand(name), import("./commands/ioHost.js")]);
    const host = createIoHost(io, { prompter: overrides.prompter, noInput: options.noInput === true });
    await command(options, { pulumiCommand: overrides.pulumiCommand, signals: overrides.signals, io: host, render });
  });
  try {
    // With `setup` as the default command, commander would read a mistyped command as setup's
    // argument and complain about "too many arguments".
    const first = argv[0];
    if (first !== undefined && !first.startsWith("-") && first !== "help" && !(COMMAND_NAMES as string[]).includes(first)) {
      throw new UsageError(`Unknown command "${first}".`, `Commands: ${COMMAND_NAMES.join(", ")}. Run \`census-pinpoint --help\` for more.`);
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
