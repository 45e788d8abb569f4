// The Prompter's wiring to the process, without @inquirer/testing (its render() tests live in
// promptFlows.test.ts): questions go to stderr so stdout carries only results, and the raw bytes a
// terminal sends (Enter, Ctrl-C) reach the prompts.
import { jest } from "@jest/globals";
import { PassThrough } from "node:stream";
import { InterruptedError } from "../../wizard/errors.js";
import { createInquirerPrompter } from "../../wizard/prompts.js";

function captureWrites(stream: NodeJS.WriteStream): { text: () => string; restore: () => void } {
  let captured = "";
  const spy = jest.spyOn(stream, "write").mockImplementation((chunk: unknown) => {
    captured += String(chunk);
    return true;
  });
  return { text: () => captured, restore: () => spy.mockRestore() };
}

test("questions are written to stderr by default, never to stdout", async () => {
  const input = new PassThrough();
  const stdout = captureWrites(process.stdout);
  const stderr = captureWrites(process.stderr);
  try {
    const answer = createInquirerPrompter({ input }).wantsToCustomize();
    input.write("y\r");
    await expect(answer).resolves.toBe(true);
  } finally {
    stdout.restore();
    stderr.restore();
  }
  expect(stderr.text()).toContain("Customize names and expiry?");
  expect(stdout.text()).toBe("");
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
