/**
 * The wizard's questions, asked in domain terms. This is the only module that imports the prompt
 * library, so the flows in inputs.ts (and the commands) can be tested with a scripted `Prompter`.
 * Answers are validated here with the same infra validators the Pulumi program uses, so a rejected
 * answer is explained inline and asked again instead of failing later.
 */
// The three prompt packages that @inquirer/prompts re-exports, imported directly: the bundle loads all
// ten prompt types before the first question, a quarter of the time until it appears.
import confirm from "@inquirer/confirm";
import input from "@inquirer/input";
import select from "@inquirer/select";
import { styleText } from "node:util";
import { isPinpointRegion, PINPOINT_REGION_NAMES, type PinpointRegion } from "../infra/regions.js";
import {
  checkProjectId,
  InvalidInputError,
  MAX_EXPIRATION_DAYS,
  MIN_EXPIRATION_DAYS,
  validateBucketName,
  validateExpirationDays,
  validateIamName,
} from "../infra/validation.js";
import { InterruptedError } from "./errors.js";
import { wrapLines } from "./layout/wrap.js";

/** A Pinpoint project (application) as the project listing returns it. */
export interface PinpointProjectSummary {
  id: string;
  name: string;
}

export interface Prompter {
  chooseRegion(defaultRegion?: string): Promise<PinpointRegion>;
  /** The chosen project's ID, or undefined when the user chose to enter an ID by hand. */
  chooseProject(projects: readonly PinpointProjectSummary[]): Promise<string | undefined>;
  /** Rejects IDs that cannot be right; an unusual ID is returned for the caller to confirm. */
  enterProjectId(): Promise<string>;
  confirmUnusualProjectId(warning: string): Promise<boolean>;
  wantsToCustomize(): Promise<boolean>;
  enterBucketName(defaultName: string): Promise<string>;
  enterExpirationDays(defaultDays: number): Promise<number>;
  enterImporterRoleName(defaultName: string): Promise<string>;
  enterCensusUserName(defaultName: string): Promise<string>;
  /** `summary` (which account, region and project, and what will be created) is shown above the question "Proceed?". */
  confirmSetup(summary: string): Promise<boolean>;
  /** True only when the user typed exactly `expected` (surrounding spaces ignored). */
  confirmTypedText(expected: string, message: string): Promise<boolean>;
  confirmInstallPulumi(): Promise<boolean>;
  /**
   * setup and adopt when Amazon Pinpoint did not confirm the project (end of support, access denied,
   * no answer): yes only to create a long-lived key anyway (default no: the import may never run).
   */
  acceptUnconfirmedProject(problem: string): Promise<boolean>;
  /** Which of several stacks a day-2 command acts on. */
  chooseStack(stacks: ReadonlyArray<{ name: string; detail: string }>): Promise<string>;
  /** rotate-key's phase 2: yes only once Census uses the new key (default no: deleting early breaks Census). */
  confirmOldKeyDeletion(oldAccessKeyId: string): Promise<boolean>;
  /** retire: whether this legacy piece (named as AWS names it) goes; default yes, as it was listed for removal. */
  confirmRetirePiece(description: string): Promise<boolean>;
  /** retire with no stack of this tool for the project: yes only to leave Census without a working setup (default no). */
  confirmRetireWithoutStack(warning: string): Promise<boolean>;
  /**
   * The same questions, each ended at once when `signal` aborts: the open question (and any asked
   * after) rejects with the signal's reason instead of waiting for an answer. For a failure found
   * while the user is still reading a question (setup's credential lookup).
   */
  withSignal(signal: AbortSignal): Prompter;
}

export interface PrompterOptions {
  /** Defaults to stdin. */
  input?: NodeJS.ReadableStream;
  /** stderr, so that stdout carries only results (the six values, --json). */
  output: NodeJS.WritableStream;
  /** Ends the open question when it aborts; the question rejects with the signal's reason. */
  signal?: AbortSignal;
}

const REGION_LOCATIONS: Record<PinpointRegion, string> = {
  "us-east-1": "US East (N. Virginia)",
  "us-east-2": "US East (Ohio)",
  "us-west-2": "US West (Oregon)",
  "ca-central-1": "Canada (Central)",
  "eu-central-1": "Europe (Frankfurt)",
  "eu-west-1": "Europe (Ireland)",
  "eu-west-2": "Europe (London)",
  "ap-south-1": "Asia Pacific (Mumbai)",
  "ap-northeast-1": "Asia Pacific (Tokyo)",
  "ap-northeast-2": "Asia Pacific (Seoul)",
  "ap-southeast-1": "Asia Pacific (Singapore)",
  "ap-southeast-2": "Asia Pacific (Sydney)",
  "us-gov-west-1": "AWS GovCloud (US-West)",
};

const REGION_NAME_WIDTH = Math.max(...PINPOINT_REGION_NAMES.map((region) => region.length));

/** A project as a person knows it, by its name, with the ID that tells it apart. */
function projectLabel(project: PinpointProjectSummary): string {
  return `${project.name} (${project.id})`;
}

/** Turns an infra validator into an Inquirer `validate`: its message is shown under the answer. */
function inlineValidation(check: (answer: string) => unknown): (answer: string) => true | string {
  return (answer) => {
    try {
      check(answer.trim());
      return true;
    } catch (error) {
      if (error instanceof InvalidInputError) return error.message;
      throw error;
    }
  };
}

// Inquirer rejects with ExitPromptError on Ctrl-C (and when the terminal goes away), and with
// AbortPromptError when the context's signal aborts. Their classes live in @inquirer/core, which is
// not our dependency, so they are recognised by name.
function isPromptError(error: unknown, name: "ExitPromptError" | "AbortPromptError"): boolean {
  return error instanceof Error && error.name === name;
}

/** What a terminal's output stream tells of its size; undefined on a pipe. */
interface TerminalSize {
  columns?: number;
  rows?: number;
}

/** A select's lines beside its choices: the question, a blank line and the keys' help, and the line the cursor rests on. */
const SELECT_FRAME_LINES = 4;
const MIN_PAGE_SIZE = 3;

export function createInquirerPrompter(options: PrompterOptions): Prompter {
  const { signal, output } = options;
  const context = { input: options.input, output, signal };
  const size = output as TerminalSize;

  async function ask<T>(prompt: Promise<T>): Promise<T> {
    try {
      return await prompt;
    } catch (error) {
      if (isPromptError(error, "ExitPromptError")) throw new InterruptedError("Cancelled.");
      // The question was ended by what aborted it: that failure is the run's error, not the prompt's.
      if (isPromptError(error, "AbortPromptError") && signal?.aborted) throw signal.reason;
      throw error;
    }
  }

  // Pasted values often carry a trailing space or newline; validation and the answer ignore them.
  async function text(message: string, check: (answer: string) => unknown, defaultValue?: string): Promise<string> {
    const answer = await ask(input({ message, default: defaultValue, validate: inlineValidation(check) }, context));
    return answer.trim();
  }

  function yesNo(message: string, defaultAnswer: boolean): Promise<boolean> {
    return ask(confirm({ message, default: defaultAnswer }, context));
  }

  /**
   * `text` above the question, wrapped at words: in the question itself Inquirer would put its mark
   * (?, then ✔) on the text's first line, and cut words at the terminal's edge.
   */
  function yesNoAfter(text: string, question: string, defaultAnswer: boolean): Promise<boolean> {
    const columns = size.columns;
    output.write(`${(columns === undefined ? [text] : wrapLines(text, columns)).join("\n")}\n`);
    return yesNo(question, defaultAnswer);
  }

  /** As many choices as leave the whole question on screen: a question taller than the terminal is drawn again below itself at each key. */
  function pageSizeFor(choices: number): number {
    return size.rows === undefined ? choices : Math.min(choices, Math.max(size.rows - SELECT_FRAME_LINES, MIN_PAGE_SIZE));
  }

  return {
    chooseRegion(defaultRegion) {
      return ask(
        select(
          {
            message: "AWS region of your Pinpoint project",
            choices: PINPOINT_REGION_NAMES.map((region) => ({
              value: region,
              name: `${region.padEnd(REGION_NAME_WIDTH)}  ${REGION_LOCATIONS[region]}`,
              short: region,
            })),
            default: defaultRegion !== undefined && isPinpointRegion(defaultRegion) ? defaultRegion : undefined,
            pageSize: pageSizeFor(PINPOINT_REGION_NAMES.length),
            loop: false,
          },
          context,
        ),
      );
    },

    async chooseProject(projects) {
      const answer = await ask(
        select<string | null>(
          {
            message: "Pinpoint project",
            choices: [
              ...projects.map((project) => ({ value: project.id, name: projectLabel(project), short: projectLabel(project) })),
              { value: null, name: "Enter an ID by hand", short: "enter by hand" },
            ],
            pageSize: pageSizeFor(projects.length + 1),
            loop: false,
          },
          context,
        ),
      );
      return answer ?? undefined;
    },

    enterProjectId() {
      return text("Pinpoint project ID (Pinpoint console → All projects → Project ID)", checkProjectId);
    },

    confirmUnusualProjectId(warning) {
      return yesNoAfter(warning, "Use this project ID anyway?", false);
    },

    wantsToCustomize() {
      return yesNo("Customize names and expiry?", false);
    },

    enterBucketName(defaultName) {
      // Inquirer shows the default beside the question: with the longest default name (60 characters) the
      // line must still fit 80 columns, or the terminal breaks it inside the name.
      return text("Staging bucket", validateBucketName, defaultName);
    },

    async enterExpirationDays(defaultDays) {
      const answer = await text(
        `Days after which staged files are deleted (${MIN_EXPIRATION_DAYS}–${MAX_EXPIRATION_DAYS})`,
        validateExpirationDays,
        String(defaultDays),
      );
      return validateExpirationDays(answer);
    },

    enterImporterRoleName(defaultName) {
      return text("Importer role Pinpoint assumes", (name) => validateIamName("importerRoleName", name), defaultName);
    },

    enterCensusUserName(defaultName) {
      return text("IAM user whose access key Census holds", (name) => validateIamName("censusUserName", name), defaultName);
    },

    confirmSetup(summary) {
      return yesNoAfter(summary, "Proceed?", true);
    },

    async confirmTypedText(expected, message) {
      // The answer is judged as it is submitted, so that the mark left beside it says whether it matched.
      let matched = false;
      const answer = await ask(
        input(
          {
            message,
            validate: (typed) => {
              matched = typed.trim() === expected;
              return true;
            },
            theme: {
              prefix: {
                idle: styleText("blue", "?"),
                get done() {
                  return matched ? styleText("green", "✔") : styleText("red", "✖");
                },
              },
            },
          },
          context,
        ),
      );
      return answer.trim() === expected;
    },

    confirmInstallPulumi() {
      return yesNo("The Pulumi CLI was not found. Download and install it now?", false);
    },

    acceptUnconfirmedProject(problem) {
      return yesNoAfter(problem, "Create the setup anyway, with a long-lived access key for Census?", false);
    },

    chooseStack(stacks) {
      return ask(
        select(
          {
            message: "Which stack?",
            choices: stacks.map((stack) => ({ value: stack.name, name: `${stack.name}  ${stack.detail}`, short: stack.name })),
            pageSize: pageSizeFor(stacks.length),
            loop: false,
          },
          context,
        ),
      );
    },

    confirmOldKeyDeletion(oldAccessKeyId) {
      return yesNo(`Census uses the new key and its test passed — delete the old key ${oldAccessKeyId} now?`, false);
    },

    confirmRetirePiece(description) {
      return yesNo(`Remove ${description}?`, true);
    },

    confirmRetireWithoutStack(warning) {
      return yesNoAfter(warning, "Retire anyway?", false);
    },

    withSignal(other) {
      return createInquirerPrompter({ ...options, signal: signal ? AbortSignal.any([signal, other]) : other });
    },
  };
}
