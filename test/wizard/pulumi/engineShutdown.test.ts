import { EventEmitter } from "node:events";
import { ignoreEngineShutdownEchoes, isEngineShutdownEcho } from "../../../wizard/pulumi/engineShutdown.js";

test("the engine's shutdown echoes pass silently, every other unhandled rejection still ends the process", () => {
  const process = new EventEmitter();
  ignoreEngineShutdownEchoes(process as unknown as Pick<NodeJS.Process, "on">);
  expect(() => process.emit("unhandledRejection", new Error("Resource monitor is terminating"))).not.toThrow();
  expect(() => process.emit("unhandledRejection", new Error("Resource monitor shut down while waiting on step's done channel"))).not.toThrow();
  expect(() => process.emit("unhandledRejection", new Error("boom"))).toThrow("boom");
  expect(isEngineShutdownEcho("Resource monitor is terminating")).toBe(false);
});
