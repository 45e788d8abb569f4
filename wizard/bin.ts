#!/usr/bin/env node
import { main } from "./cli.js";
import { SIGNAL_EXIT_CODES, STOP_SIGNALS } from "./errors.js";
import { updateInProgress } from "./interrupt.js";
import { ignoreEngineShutdownEchoes } from "./pulumi/engineShutdown.js";

// census-pinpoint supports Node 20 on purpose (README); the SDK's nine-line notice about its own future
// Node requirement would otherwise open every run's stderr. A user's own setting wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

// A reader that stops early (`census-pinpoint --help | head -1`) closes the pipe: that is not a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(process.exitCode ?? 0);
  });
}

ignoreEngineShutdownEchoes();

// Ctrl-C, SIGTERM (a CI cancel, `docker stop`, systemd) and SIGHUP (a closed terminal) stop the run
// with one line and the shell's code for the signal. During a Pulumi update, interrupt.ts takes them
// and stops the update safely instead.
for (const signal of STOP_SIGNALS) {
  process.on(signal, () => {
    if (updateInProgress()) return;
    process.stderr.write(signal === "SIGINT" ? "\n✖ Cancelled.\n" : `\n✖ Stopped by ${signal}.\n`);
    process.exit(SIGNAL_EXIT_CODES[signal]);
  });
}

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  exit: (code) => process.exit(code),
});
