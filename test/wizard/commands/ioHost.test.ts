// The one rule for questions: a flag that answered means no question; in a terminal the user is asked;
// without one, a question the run needs is refused with what to pass, and one it can do without is skipped.
import { PassThrough } from "node:stream";
import type { CliIo } from "../../../wizard/commands/context.js";
import { createIoHost } from "../../../wizard/commands/ioHost.js";
import { UsageError } from "../../../wizard/errors.js";

function streams({ terminal }: { terminal: boolean }): { io: CliIo; type: (text: string) => void; written: () => string } {
  // A terminal's stdin as Inquirer uses it: raw mode is a no-op here, the keys are written in.
  const stdin = Object.assign(new PassThrough(), { isTTY: terminal, setRawMode: () => stdin });
  const stderr = Object.assign(new PassThrough(), { isTTY: terminal });
  let written = "";
  stderr.on("data", (chunk: Buffer) => (written += chunk.toString()));
  const io: CliIo = {
    stdout: Object.assign(new PassThrough(), { isTTY: false }),
    stderr,
    stdin,
    env: {},
    exit: () => {},
  };
  return { io, type: (text) => stdin.write(text), written: () => written };
}

const refusal = () => new UsageError("teardown deletes AWS resources, and without a terminal nothing can be confirmed: pass --yes to go ahead.");

test("in a terminal the user is asked, unless a flag already answered", () => {
  const host = createIoHost(streams({ terminal: true }).io, { noInput: false });
  expect(host.interactive).toBe(true);
  expect(host.mayAsk(false, refusal)).toBe(true);
  expect(host.mayAsk(true, refusal)).toBe(false);
});

test.each([
  ["no terminal", { terminal: false, noInput: false }],
  ["--no-input in a terminal", { terminal: true, noInput: true }],
])("with %s, a question the run needs is refused with its hint; one it can do without is not asked", (_, { terminal, noInput }) => {
  const host = createIoHost(streams({ terminal }).io, { noInput });
  expect(host.interactive).toBe(false);
  expect(() => host.mayAsk(false, refusal)).toThrow(refusal());
  expect(host.mayAsk(false)).toBe(false);
  expect(host.mayAsk(true, refusal)).toBe(false);
});

test("questions are read from the run's stdin and drawn on its stderr", async () => {
  const { io, type, written } = streams({ terminal: true });
  const answer = createIoHost(io, { noInput: false }).prompter().wantsToCustomize();
  // Inquirer draws the question on the next turn of the event loop, and reads keys from then on.
  await new Promise((drawn) => setImmediate(drawn));
  type("y\r");
  await expect(answer).resolves.toBe(true);
  expect(written()).toContain("Customize names and expiry?");
});
