import { EventEmitter } from "node:events";
import { withGracefulInterrupt } from "../../wizard/interrupt.js";

function harness(fromTerminal: boolean) {
  const signals = new EventEmitter();
  const calls = { first: 0, second: 0 };
  const options = {
    fromTerminal,
    signals: signals as unknown as Pick<NodeJS.Process, "on" | "off">,
    onFirst: () => void calls.first++,
    onSecond: () => void calls.second++,
  };
  return { signals, calls, options };
}

test("from a terminal, the first Ctrl-C is not forwarded (the CLI child got it already) and the run waits for Pulumi", async () => {
  const { signals, calls, options } = harness(true);
  let aborted = false;
  const outcome = await withGracefulInterrupt(async (signal) => {
    signal.addEventListener("abort", () => (aborted = true));
    signals.emit("SIGINT");
    await new Promise((done) => setTimeout(done, 10));
    throw new Error("update cancelled");
  }, options);
  expect(aborted).toBe(false);
  expect(calls).toEqual({ first: 1, second: 0 });
  expect(outcome).toMatchObject({ interrupted: true, error: expect.objectContaining({ message: "update cancelled" }) });
});

test("without a terminal, the first interrupt is forwarded once through the abort signal", async () => {
  const { signals, options } = harness(false);
  const outcome = await withGracefulInterrupt(
    (signal) =>
      new Promise<string>((done) => {
        signal.addEventListener("abort", () => done("cancelled by Pulumi"));
        signals.emit("SIGINT");
      }),
    options,
  );
  expect(outcome).toEqual({ result: "cancelled by Pulumi", interrupted: true });
});

test("a second Ctrl-C exits at once", async () => {
  const { signals, calls, options } = harness(true);
  await withGracefulInterrupt(async () => {
    signals.emit("SIGINT");
    signals.emit("SIGINT");
  }, options);
  expect(calls).toEqual({ first: 1, second: 1 });
});

test("the handler is removed afterwards, so a later Ctrl-C behaves normally", async () => {
  const { signals, options } = harness(true);
  const outcome = await withGracefulInterrupt(async () => "done", options);
  expect(outcome).toEqual({ result: "done", interrupted: false });
  expect(signals.listenerCount("SIGINT")).toBe(0);
});
