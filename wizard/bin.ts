#!/usr/bin/env node
import { main } from "./cli.js";

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

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
});
