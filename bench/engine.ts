/**
 * Provisioning benchmark (part of `npm run bench`, after `eval "$(npm run --silent engine:env)"`):
 * wall time of a first `setup` and of a re-run that changes nothing, through the real Pulumi CLI and
 * the test provider against a private moto_server. Medians of BENCH_ENGINE_RUNS (default 3), each on
 * an empty moto and a new CENSUS_PINPOINT_HOME. Prints figures; it is not a test and never fails on them.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { CreateAppCommand, PinpointClient } from "@aws-sdk/client-pinpoint";
import { realEngine } from "../test/helpers/engine.js";
import { DUMMY_CREDENTIALS, startMoto } from "../test/helpers/moto.js";

const RUNS = Number(process.env.BENCH_ENGINE_RUNS ?? 3);
// The AWS SDK would announce its Node 20 deadline here too; the CLI runs keep it off as the tests do.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const BIN = resolve("dist/wizard/bin.js");
const REGION = "us-east-1";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function timeRun(args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((done, fail) => {
    const started = performance.now();
    let stderr = "";
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["ignore", "ignore", "pipe"] });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", fail);
    child.on("exit", (code) => (code === 0 ? done(performance.now() - started) : fail(new Error(`census-pinpoint ${args[0]} exited ${code}:\n${stderr}`))));
  });
}

const engine = realEngine();
const moto = await startMoto();
const root = mkdtempSync(join(tmpdir(), "census-pinpoint-bench-engine-"));
const pinpoint = new PinpointClient({ region: REGION, endpoint: moto.endpoint, credentials: DUMMY_CREDENTIALS });
try {
  const first: number[] = [];
  const again: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    await moto.reset();
    const dir = join(root, String(run));
    const pulumiHome = join(dir, "pulumi-home");
    mkdirSync(pulumiHome, { recursive: true });
    symlinkSync(engine.plugins, join(pulumiHome, "plugins"));
    const env = {
      PATH: `${engine.cliDir}:${process.env.PATH ?? ""}`,
      HOME: dir,
      PULUMI_HOME: pulumiHome,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      CENSUS_PINPOINT_HOME: join(dir, "cp"),
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey,
      AWS_CONFIG_FILE: join(dir, "none"),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "none"),
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      NO_COLOR: "1",
    };
    const { ApplicationResponse } = await pinpoint.send(new CreateAppCommand({ CreateApplicationRequest: { Name: `bench-${run}` } }));
    const args = ["setup", "--no-input", "--yes", "--skip-verify", "--json", "--region", REGION, "--project-id", ApplicationResponse!.Id!];
    first.push(await timeRun(args, env));
    again.push(await timeRun(args, env));
  }
  const row = (name: string, ms: number) => `${name.padEnd(24)} ${(ms / 1000).toFixed(2).padStart(8)} s`;
  console.log(`real Pulumi engine + test provider + moto, median of ${RUNS} runs, Node ${process.version}`);
  console.log(row("first setup", median(first)));
  console.log(row("no-change re-run", median(again)));
} finally {
  pinpoint.destroy();
  await moto.stop();
  rmSync(root, { recursive: true, force: true });
}
