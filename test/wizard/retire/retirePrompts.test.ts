// retire's two questions through @inquirer/testing's render(): what the user sees and what Enter
// does. A piece listed for removal goes on Enter; going on without a stack needs an explicit yes.
import { render } from "@inquirer/testing";
import { createInquirerPrompter, type Prompter, type PrompterOptions } from "../../../wizard/prompts.js";

type Question<T> = (prompter: Prompter) => Promise<T>;

function ask<T>(question: Question<T>) {
  // render() always passes its own output stream, the terminal the questions are drawn on.
  return render((q: Question<T>, context?: Partial<PrompterOptions>) => q(createInquirerPrompter({ ...context, output: context!.output! })), question);
}

test("a piece is named in the question and goes on Enter; n keeps it", async () => {
  const piece = "IAM role CensusPinpointImporter; AmazonS3ReadOnlyAccess detached";
  const first = await ask((p) => p.confirmRetirePiece(piece));
  expect(first.getScreen()).toBe(`? Remove ${piece}? (Y/n)`);
  first.events.keypress("enter");
  await expect(first.answer).resolves.toBe(true);

  const second = await ask((p) => p.confirmRetirePiece(piece));
  second.events.type("n");
  second.events.keypress("enter");
  await expect(second.answer).resolves.toBe(false);
});

test("retiring without a stack shows the warning and Enter means no", async () => {
  const warning = "No census-pinpoint stack us-east-1-0123: retiring before `census-pinpoint adopt` leaves Census without a working setup.";
  const { answer, events, getScreen, getFullOutput } = await ask((p) => p.confirmRetireWithoutStack(warning));
  expect(await getFullOutput()).toBe(`${warning}\n? Retire anyway? (y/N)`);
  expect(getScreen()).toBe("? Retire anyway? (y/N)");
  events.keypress("enter");
  await expect(answer).resolves.toBe(false);
});
