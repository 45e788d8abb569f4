/**
 * Start-up benchmark (`npm run bench`): medians of `census-pinpoint --help` and of the time until the
 * wizard's first prompt is drawn, each as a ratio to bare `node -e 0` measured in the same run.
 * Budgets: --help <= 2x, first prompt <= 3x. Prints figures; it is not a test and never fails on them.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as pty from "node-pty";

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const BIN = resolve("dist/wizard/bin.js");
const home = mkdtempSync(join(tmpdir(), "census-pinpoint-bench-"));
// No real credentials, home or AWS: the first prompt must not wait for any of them.
const env: Record<string, string> = {
  PATH: process.env.PATH ?? "",
  HOME: home,
  CENSUS_PINPOINT_HOME: join(home, "cp"),
  AWS_CONFIG_FILE: join(home, "none"),
  AWS_SHARED_CREDENTIALS_FILE: join(home, "none"),
  AWS_ENDPOINT_URL: "http://127.0.0.1:9",
  NO_COLOR: "1",
  TERM: "xterm",
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function timeExit(args: string[]): Promise<number> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: "ignore" });
    child.on("error", fail);
    child.on("exit", () => done(performance.now() - started));
  });
}

/** Milliseconds from spawn until the region prompt is on the pseudo-terminal. */
function timeFirstPrompt(): Promise<number> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const term = pty.spawn(process.execPath, [BIN], { env, cols: 120, rows: 40, cwd: home });
    let screen = "";
    const timer = setTimeout(() => {
      term.kill();
      fail(new Error(`no prompt within 20 s; screen:\n${screen}`));
    }, 20_000);
    term.onData((data) => {
      screen += data;
      if (/region/i.test(screen)) {
        const elapsed = performance.now() - started;
        clearTimeout(timer);
        term.kill();
        done(elapsed);
      }
    });
  });
}

async function sample(measure: () => Promise<number>): Promise<number> {
  await measure(); // warm the file system cache
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await measure());
  return median(times);
}

if (spawnSync(process.execPath, [BIN, "--version"], { env }).status !== 0) {
  console.error("dist/wizard/bin.js does not run: `npm run build` first");
  process.exit(1);
}
try {
  const bare = await sample(() => timeExit(["-e", "0"]));
  const help = await sample(() => timeExit([BIN, "--help"]));
  const prompt = await sample(timeFirstPrompt);
  const row = (name: string, ms: number, budget?: number) =>
    `${name.padEnd(24)} ${ms.toFixed(1).padStart(8)} ms  ${(ms / bare).toFixed(2)}x${budget ? `  (budget ${budget}x: ${ms / bare <= budget ? "within" : "OVER"})` : ""}`;
  console.log(`median of ${RUNS} runs, Node ${process.version}`);
  console.log(row("node -e 0", bare));
  console.log(row("census-pinpoint --help", help, 2));
  console.log(row("first prompt drawn", prompt, 3));
} finally {
  rmSync(home, { recursive: true, force: true });
}
