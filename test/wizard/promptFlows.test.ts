// Each Prompter method driven through @inquirer/testing's render(): what the user sees, what a key
// press does, and what the method returns. render() calls a prompt as `prompt(config, context)`, so
// the "prompt" here builds a Prompter on render's streams and the "config" is the question to ask.
import { render } from "@inquirer/testing";
import { defaultBucketName, defaultCensusUserName, defaultImporterRoleName } from "../../infra/names.js";
import { PINPOINT_REGION_NAMES } from "../../infra/regions.js";
import { DEFAULT_EXPIRATION_DAYS } from "../../infra/validation.js";
import { AwsCredentialsError, exitCodeFor, InterruptedError } from "../../wizard/errors.js";
import { createInquirerPrompter, type Prompter, type PrompterOptions } from "../../wizard/prompts.js";

type Question<T> = (prompter: Prompter) => Promise<T>;

function ask<T>(question: Question<T>) {
  // render() always passes its own output stream, the terminal the questions are drawn on.
  return render((q: Question<T>, context?: Partial<PrompterOptions>) => q(createInquirerPrompter({ ...context, output: context!.output! })), question);
}

const PROJECT_ID = "0123456789abcdef0123456789abcdef";

describe("chooseRegion", () => {
  test("lists every Pinpoint region with its location and starts on the default", async () => {
    const { answer, events, getScreen } = await ask((p) => p.chooseRegion("eu-west-1"));
    const screen = getScreen();
    for (const region of PINPOINT_REGION_NAMES) expect(screen).toContain(region);
    expect(screen).toContain("Europe (Ireland)");
    expect(screen).toMatch(/❯ eu-west-1 +Europe \(Ireland\)/);
    events.keypress("enter");
    await expect(answer).resolves.toBe("eu-west-1");
    expect(getScreen()).toBe("✔ AWS region of your Pinpoint project eu-west-1");
  });

  test("ignores a default where Pinpoint does not exist and starts at the top", async () => {
    const { answer, events, getScreen } = await ask((p) => p.chooseRegion("sa-east-1"));
    expect(getScreen()).toMatch(/❯ us-east-1 /);
    events.keypress("down");
    events.keypress("enter");
    await expect(answer).resolves.toBe("us-east-2");
  });
});

describe("withSignal", () => {
  test("a signal aborted while the question is open ends it at once with the signal's reason (setup's failed credential lookup)", async () => {
    const failed = new AbortController();
    const { answer, getScreen } = await ask((p) => p.withSignal(failed.signal).chooseRegion());
    expect(getScreen()).toContain("AWS region of your Pinpoint project");
    const reason = new AwsCredentialsError("No AWS credentials found.");
    failed.abort(reason);
    await expect(answer).rejects.toBe(reason);
  });

  test("a question asked after the signal aborted ends before it is answered; one without the signal is not affected", async () => {
    const failed = new AbortController();
    failed.abort(new AwsCredentialsError("No AWS credentials found."));
    const ended = await ask((p) => p.withSignal(failed.signal).wantsToCustomize());
    await expect(ended.answer).rejects.toBeInstanceOf(AwsCredentialsError);
    const { answer, events } = await ask((p) => p.wantsToCustomize());
    events.keypress("enter");
    await expect(answer).resolves.toBe(false);
  });
});

describe("chooseProject", () => {
  const projects = [
    { id: PROJECT_ID, name: "Marketing" },
    { id: "fedcba9876543210fedcba9876543210", name: "Transactional" },
  ];

  test("shows each project's name and ID, returns the chosen ID, and leaves the chosen project's name beside its ID", async () => {
    const { answer, events, getScreen } = await ask((p) => p.chooseProject(projects));
    expect(getScreen()).toContain(`Marketing (${PROJECT_ID})`);
    expect(getScreen()).toContain("Transactional (fedcba9876543210fedcba9876543210)");
    events.keypress("down");
    events.keypress("enter");
    await expect(answer).resolves.toBe("fedcba9876543210fedcba9876543210");
    expect(getScreen()).toBe("✔ Pinpoint project Transactional (fedcba9876543210fedcba9876543210)");
  });

  test("offers to enter an ID by hand, answered with undefined", async () => {
    const { answer, events, getScreen } = await ask((p) => p.chooseProject(projects));
    expect(getScreen()).toContain("Enter an ID by hand");
    events.keypress("down");
    events.keypress("down");
    events.keypress("enter");
    await expect(answer).resolves.toBeUndefined();
  });
});

describe("enterProjectId", () => {
  test("rejects an ARN inline, then accepts a corrected ID", async () => {
    const { answer, events, getScreen, nextRender } = await ask((p) => p.enterProjectId());
    const arn = `arn:aws:mobiletargeting:eu-west-1:123456789012:apps/${PROJECT_ID}`;
    events.type(arn);
    events.keypress("enter");
    await nextRender();
    expect(getScreen()).toContain('contains "/". Give the project ID, not its ARN or console URL.');
    for (let i = 0; i < arn.length; i++) events.keypress("backspace");
    events.type(PROJECT_ID);
    events.keypress("enter");
    await expect(answer).resolves.toBe(PROJECT_ID);
  });

  test("ignores the spaces around a pasted ID", async () => {
    const { answer, events } = await ask((p) => p.enterProjectId());
    events.type(`  ${PROJECT_ID} `);
    events.keypress("enter");
    await expect(answer).resolves.toBe(PROJECT_ID);
  });

  test("returns an unusual but possible ID for the caller to confirm", async () => {
    const { answer, events } = await ask((p) => p.enterProjectId());
    events.type("my-project");
    events.keypress("enter");
    await expect(answer).resolves.toBe("my-project");
  });

  test("refuses an empty answer", async () => {
    const { answer, events, getScreen, nextRender } = await ask((p) => p.enterProjectId());
    events.keypress("enter");
    await nextRender();
    expect(getScreen()).toContain("The Pinpoint project ID is empty.");
    events.type(PROJECT_ID);
    events.keypress("enter");
    await expect(answer).resolves.toBe(PROJECT_ID);
  });
});

describe("customization", () => {
  const defaultBucket = "census-pinpoint-staging-01234567-123456789012-eu-west-1";

  test("each question with the longest default name fits an 80-column terminal on one line", async () => {
    const longestRegion = [...PINPOINT_REGION_NAMES].sort((a, b) => b.length - a.length)[0]!;
    const questions: Array<Question<unknown>> = [
      (p) => p.enterBucketName(defaultBucketName("123456789012", longestRegion, "01234567")),
      (p) => p.enterExpirationDays(DEFAULT_EXPIRATION_DAYS),
      (p) => p.enterImporterRoleName(defaultImporterRoleName("01234567")),
      (p) => p.enterCensusUserName(defaultCensusUserName("01234567")),
    ];
    for (const question of questions) {
      const { getScreen } = await ask(question);
      expect({ line: getScreen(), fits: getScreen().length <= 80 }).toEqual({ line: getScreen(), fits: true });
    }
  });

  test("the bucket name question shows its default and keeps it on Enter", async () => {
    const { answer, events, getScreen } = await ask((p) => p.enterBucketName(defaultBucket));
    expect(getScreen()).toBe(`? Staging bucket (${defaultBucket})`);
    events.keypress("enter");
    await expect(answer).resolves.toBe(defaultBucket);
  });

  test("a bad bucket name is explained by the S3 rules it breaks", async () => {
    const { answer, events, getScreen, nextRender } = await ask((p) => p.enterBucketName(defaultBucket));
    events.type("Staging_Bucket");
    events.keypress("enter");
    await nextRender();
    expect(getScreen()).toContain('"Staging_Bucket" is not a valid S3 bucket name: it must not contain uppercase letters');
    expect(getScreen()).toContain('(found "_")');
    for (let i = 0; i < "Staging_Bucket".length; i++) events.keypress("backspace");
    events.type("staging-bucket");
    events.keypress("enter");
    await expect(answer).resolves.toBe("staging-bucket");
  });

  test("a reserved bucket suffix is named", async () => {
    const { events, getScreen, nextRender } = await ask((p) => p.enterBucketName(defaultBucket));
    events.type("staging-s3alias");
    events.keypress("enter");
    await nextRender();
    expect(getScreen()).toContain('it must not end with the reserved suffix "-s3alias"');
  });

  test("expiration days: out of range is refused, the answer is a number", async () => {
    const { answer, events, getScreen, nextRender } = await ask((p) => p.enterExpirationDays(7));
    expect(getScreen()).toContain("(7)");
    events.type("0");
    events.keypress("enter");
    await nextRender();
    expect(getScreen()).toContain('Expiration days must be a whole number from 1 to 3650; got "0".');
    events.keypress("backspace");
    events.type("30");
    events.keypress("enter");
    await expect(answer).resolves.toBe(30);
  });

  test("IAM names are checked against IAM's character set", async () => {
    const { events, getScreen, nextRender } = await ask((p) => p.enterImporterRoleName("CensusPinpointSegmentImporter-01234567"));
    expect(getScreen()).toContain("(CensusPinpointSegmentImporter-01234567)");
    events.type("importer role");
    events.keypress("enter");
    await nextRender();
    expect(getScreen()).toContain('"importer role" is not a valid IAM role name: it may contain only letters, digits and "+=,.@_-".');
  });

  test("the Census user name keeps its default on Enter", async () => {
    const { answer, events } = await ask((p) => p.enterCensusUserName("census-pinpoint-01234567"));
    events.keypress("enter");
    await expect(answer).resolves.toBe("census-pinpoint-01234567");
  });
});

describe("confirmations and their defaults", () => {
  test("customizing defaults to no", async () => {
    const { answer, events, getScreen } = await ask((p) => p.wantsToCustomize());
    expect(getScreen()).toBe("? Customize names and expiry? (y/N)");
    events.keypress("enter");
    await expect(answer).resolves.toBe(false);
  });

  test("customizing: y means yes", async () => {
    const { answer, events } = await ask((p) => p.wantsToCustomize());
    events.type("y");
    events.keypress("enter");
    await expect(answer).resolves.toBe(true);
  });

  test("an unusual project ID shows the warning and defaults to no", async () => {
    const { answer, events, getFullOutput } = await ask((p) => p.confirmUnusualProjectId('"my-project" does not look like an Amazon Pinpoint project ID'));
    expect(await getFullOutput()).toBe('"my-project" does not look like an Amazon Pinpoint project ID\n? Use this project ID anyway? (y/N)');
    events.keypress("enter");
    await expect(answer).resolves.toBe(false);
  });

  test("the final confirmation shows the summary above the question, defaults to yes, and marks the question, not the summary", async () => {
    const summary = "Account 123456789012, eu-west-1, project 0123…\nWill create: S3 bucket, IAM role, IAM user and access key";
    const { answer, events, getFullOutput } = await ask((p) => p.confirmSetup(summary));
    expect(await getFullOutput()).toBe(`${summary}\n? Proceed? (Y/n)`);
    events.keypress("enter");
    await expect(answer).resolves.toBe(true);
    expect(await getFullOutput()).toBe(`${summary}\n✔ Proceed? Yes`);
  });

  test("installing Pulumi defaults to no", async () => {
    const { answer, events, getScreen } = await ask((p) => p.confirmInstallPulumi());
    expect(getScreen()).toContain("(y/N)");
    events.keypress("enter");
    await expect(answer).resolves.toBe(false);
  });

  test("going on with a project Pinpoint did not confirm shows why and defaults to no", async () => {
    const { answer, events, getFullOutput } = await ask((p) => p.acceptUnconfirmedProject("Amazon Pinpoint refused project 0123… in us-east-1"));
    expect(await getFullOutput()).toBe("Amazon Pinpoint refused project 0123… in us-east-1\n? Create the setup anyway, with a long-lived access key for Census? (y/N)");
    events.keypress("enter");
    await expect(answer).resolves.toBe(false);
  });

  test.each([
    [PROJECT_ID, true, "✔"],
    [` ${PROJECT_ID} `, true, "✔"],
    ["0123456789abcdef", false, "✖"],
    ["yes", false, "✖"],
  ])("typed confirmation %j → %s, marked %s", async (typed, expected, mark) => {
    const { answer, events, getScreen } = await ask((p) => p.confirmTypedText(PROJECT_ID, `Type ${PROJECT_ID} to delete everything`));
    expect(getScreen()).toContain(`? Type ${PROJECT_ID} to delete everything`);
    events.type(typed);
    events.keypress("enter");
    await expect(answer).resolves.toBe(expected);
    expect(getScreen()).toMatch(new RegExp(`^${mark} Type ${PROJECT_ID} to delete everything +${typed.trim()}$`));
  });
});

describe("Ctrl-C", () => {
  test.each<[string, Question<unknown>]>([
    ["a list", (p) => p.chooseRegion()],
    ["a text question", (p) => p.enterBucketName("census-pinpoint-staging")],
    ["a confirmation", (p) => p.confirmSetup("Create it all")],
  ])("in %s cancels the command with exit code 130", async (_, question) => {
    const { answer, events } = await ask(question);
    events.keypress({ name: "c", ctrl: true });
    const error = await answer.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InterruptedError);
    expect(error).toHaveProperty("message", "Cancelled.");
    expect(exitCodeFor(error)).toBe(130);
  });
});
