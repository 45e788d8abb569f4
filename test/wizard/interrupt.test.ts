import { EventEmitter } from "node:events";
import type { StopSignal } from "../../wizard/errors.js";
import { stopSignalOf, updateInProgress, withGracefulInterrupt } from "../../wizard/interrupt.js";

function harness() {
  const signals = new EventEmitter();
  const calls: { first: StopSignal[]; second: StopSignal[] } = { first: [], second: [] };
  const options = {
    signals: signals as unknown as Pick<NodeJS.Process, "on" | "off">,
    onFirst: (signal: StopSignal) => void calls.first.push(signal),
    onSecond: (signal: StopSignal) => void calls.second.push(signal),
  };
  return { signals, calls, options };
}

test.each(["SIGINT", "SIGTERM", "SIGHUP"] as const)("the first %s is forwarded once through the abort signal, which names it", async (name) => {
  const { signals, calls, options } = harness();
  const outcome = await withGracefulInterrupt(
    (signal) =>
      new Promise<string>((done) => {
        signal.addEventListener("abort", () => done(`cancelled by Pulumi on ${String(stopSignalOf(signal))}`));
        signals.emit(name);
      }),
    options,
  );
  expect(outcome).toEqual({ result: `cancelled by Pulumi on ${name}`, stoppedBy: name });
  expect(calls).toEqual({ first: [name], second: [] });
});

test("a second signal of any kind stops at once", async () => {
  const { signals, calls, options } = harness();
  await withGracefulInterrupt(async () => {
    signals.emit("SIGTERM");
    signals.emit("SIGINT");
  }, options);
  expect(calls).toEqual({ first: ["SIGTERM"], second: ["SIGINT"] });
});

test("while it runs it is in charge of the signals; afterwards its handlers are gone", async () => {
  const { signals, options } = harness();
  let during = false;
  const outcome = await withGracefulInterrupt(async () => {
    during = updateInProgress();
    return "done";
  }, options);
  expect({ during, after: updateInProgress() }).toEqual({ during: true, after: false });
  expect(outcome).toEqual({ result: "done", stoppedBy: undefined });
  for (const name of ["SIGINT", "SIGTERM", "SIGHUP"]) expect(signals.listenerCount(name)).toBe(0);
});

test("an abort that no signal caused reads as no signal", () => {
  expect(stopSignalOf(undefined)).toBeUndefined();
  expect(stopSignalOf(new AbortController().signal)).toBeUndefined();
});
