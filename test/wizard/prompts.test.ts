// The Prompter's wiring to the process, without @inquirer/testing (its render() tests live in
// promptFlows.test.ts): questions go to the output given so stdout carries only results, they fit
// the terminal's size, and the raw bytes a terminal sends (Enter, Ctrl-C) reach the prompts.
import { jest } from "@jest/globals";
import { PassThrough } from "node:stream";
import { InterruptedError } from "../../wizard/errors.js";
import { PINPOINT_REGION_NAMES } from "../../infra/regions.js";
import { createInquirerPrompter } from "../../wizard/prompts.js";

function captureWrites(stream: NodeJS.WriteStream): { text: () => string; restore: () => void } {
  let captured = "";
  const spy = jest.spyOn(stream, "write").mockImplementation((chunk: unknown) => {
    captured += String(chunk);
    return true;
  });
  return { text: () => captured, restore: () => spy.mockRestore() };
}

test("questions are written to the output the prompter is given (the CLI gives stderr), never to stdout", async () => {
  const input = new PassThrough();
  const output = new PassThrough();
  let written = "";
  output.on("data", (chunk: Buffer) => (written += chunk.toString()));
  const stdout = captureWrites(process.stdout);
  try {
    const answer = createInquirerPrompter({ input, output }).wantsToCustomize();
    input.write("y\r");
    await expect(answer).resolves.toBe(true);
  } finally {
    stdout.restore();
  }
  expect(written).toContain("Customize names and expiry?");
  expect(stdout.text()).toBe("");
});

/** A terminal of `columns` × `rows` as the prompter's output, with what is written to it. */
function terminalOutput(columns: number, rows: number): { output: PassThrough & { columns: number; rows: number }; text: () => string } {
  const output = Object.assign(new PassThrough(), { columns, rows, isTTY: true });
  let written = "";
  output.on("data", (chunk: Buffer) => (written += chunk.toString()));
  return { output, text: () => written };
}

test("the region list shows only as many regions as a short terminal has rows for", async () => {
  const input = new PassThrough();
  const { output, text } = terminalOutput(80, 12);
  const answer = createInquirerPrompter({ input, output }).chooseRegion();
  await new Promise((resolve) => setImmediate(resolve));
  const listed = PINPOINT_REGION_NAMES.filter((region) => text().includes(`${region} `));
  expect(listed).toEqual(PINPOINT_REGION_NAMES.slice(0, 8));
  input.write("\r");
  await expect(answer).resolves.toBe("us-east-1");
});

test("text above a yes/no question is wrapped at words to the terminal's width", async () => {
  const input = new PassThrough();
  const { output, text } = terminalOutput(40, 24);
  const answer = createInquirerPrompter({ input, output }).confirmSetup("Create: the S3 staging bucket with its lifecycle rule, encryption and public access block");
  input.write("n\r");
  await expect(answer).resolves.toBe(false);
  expect(text().split("Proceed?")[0]!.split("\n").slice(0, 3)).toEqual([
    "Create: the S3 staging bucket with its",
    "lifecycle rule, encryption and public",
    "access block",
  ]);
});

test("the Ctrl-C byte from a terminal becomes InterruptedError", async () => {
  const input = new PassThrough();
  const output = new PassThrough();
  const answer = createInquirerPrompter({ input, output }).enterProjectId();
  input.write("0123\x03");
  await expect(answer).rejects.toThrow(new InterruptedError("Cancelled."));
});

test("typed bytes and Enter answer a text question", async () => {
  const input = new PassThrough();
  const output = new PassThrough();
  const answer = createInquirerPrompter({ input, output }).enterExpirationDays(7);
  input.write("14\r");
  await expect(answer).resolves.toBe(14);
});
