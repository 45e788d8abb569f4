/**
 * `npm run --silent engine:env`: builds what the tests need and is missing, then prints the shell
 * `export` lines that put it in use (the test suite applies exactly these lines):
 *
 * - the real Pulumi CLI and its Node.js language host, built from Pulumi's Go modules at the version
 *   test/engine/cli/go.mod pins (the version of @pulumi/pulumi, which is also what the wizard offers
 *   to install);
 * - a PULUMI_HOME whose plugin cache holds the moto-backed test provider under the exact version
 *   @pulumi/aws asks for (test/engine/provider: the real AWS provider cannot be built here);
 * - moto_server, from the Python package index at a pinned version, in a virtual environment.
 *
 * Everything lands in the git-ignored `.cache/` of this clone (CENSUS_PINPOINT_ENGINE_CACHE moves the
 * CLI and moto elsewhere; the provider's bundle stays next to node_modules, which it imports from). Go's
 * and pip's own caches make a rebuild in another clone of the same machine quick. Progress goes to
 * stderr; a missing tool ends the script with one line saying what to install.
 */
import { build } from "esbuild";
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { pinnedPulumiVersion } from "../test/engine/cli/pinnedVersion.js";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CACHE = process.env.CENSUS_PINPOINT_ENGINE_CACHE || join(REPO, ".cache");
const CLI_MODULE = join(REPO, "test/engine/cli");
const MOTO_VERSION = "5.2.1";

class SetupFailure extends Error {}

function say(message: string): void {
  process.stderr.write(`engine:env: ${message}\n`);
}

/** Runs a build step with its output on stderr (stdout is for the export lines). */
function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): void {
  const result = spawnSync(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", 2, 2] });
  if (result.error) throw new SetupFailure(`${command} could not be started: ${result.error.message}`);
  if (result.status !== 0) throw new SetupFailure(`\`${command} ${args.join(" ")}\` failed (exit ${result.status}); its output is above.`);
}

function onPath(command: string, needFor: string): void {
  const found = spawnSync(command, ["--version"], { stdio: "ignore" });
  if (found.error) throw new SetupFailure(`${command} is not on PATH: it is needed to ${needFor}.`);
}

/**
 * The Go packages built into the CLI's folder: the CLI from Pulumi's module, and the Node.js language
 * host (which `pulumi up` of a Pulumi.yaml project and policy packs run through) from upstream's source
 * kept in test/engine/cli/pulumi-language-nodejs: its own module is not served by the module proxy.
 * The CLI takes a language host found next to itself without the warning it prints for one on PATH.
 */
const ENGINE_BINARIES = [
  { name: "pulumi", pkg: "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi" },
  { name: "pulumi-language-nodejs", pkg: "./pulumi-language-nodejs" },
];

/** Builds the engine's binaries once per version (with the version stamped, as upstream's release build does). */
function pulumiCli(): string {
  const version = pinnedPulumiVersion();
  const binDir = join(CACHE, `pulumi-${version}`, "bin");
  const missing = ENGINE_BINARIES.filter(({ name }) => !existsSync(join(binDir, name)));
  if (missing.length === 0) return binDir;
  onPath("go", "build the Pulumi CLI from Pulumi's Go modules (Go 1.25 or newer, with the Go module proxy reachable)");
  mkdirSync(binDir, { recursive: true });
  for (const { name, pkg } of missing) {
    say(`building ${name} ${version} (a first build takes several minutes)`);
    const started = Date.now();
    const binary = join(binDir, name);
    const partial = `${binary}.partial-${process.pid}`;
    run("go", ["build", "-o", partial, "-ldflags", `-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${version}`, pkg], {
      cwd: CLI_MODULE,
      env: { ...process.env, GOFLAGS: "-mod=readonly" },
    });
    // A rename is atomic: a concurrent run sees either no binary or a whole one.
    renameSync(partial, binary);
    say(`built ${binary} in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  return binDir;
}

function awsPluginVersion(): string {
  return (JSON.parse(readFileSync(join(REPO, "node_modules/@pulumi/aws/package.json"), "utf8")) as { version: string }).version;
}

/**
 * The test provider bundled into one file next to node_modules (it imports @pulumi/pulumi and the AWS
 * SDK from there), and a plugin folder whose executable starts it, as the engine expects to find the
 * `aws` plugin: `$PULUMI_HOME/plugins/resource-aws-v<version>/pulumi-resource-aws`.
 */
async function pulumiHomeWithTestProvider(): Promise<string> {
  const bundle = join(REPO, ".cache", "test-provider", "main.mjs");
  await build({
    entryPoints: [join(REPO, "test/engine/provider/main.ts")],
    outfile: bundle,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20.19",
    packages: "external",
    logLevel: "warning",
  });
  const home = join(CACHE, "pulumi-home");
  const pluginDir = join(home, "plugins", `resource-aws-v${awsPluginVersion()}`);
  mkdirSync(pluginDir, { recursive: true });
  const executable = join(pluginDir, "pulumi-resource-aws");
  writeFileSync(executable, `#!/bin/sh\nexec node ${JSON.stringify(bundle)} "$@"\n`);
  chmodSync(executable, 0o755);
  return home;
}

/** moto_server in a virtual environment of its own, so nothing of the machine's Python changes. */
function motoServer(): string {
  const venv = join(CACHE, `moto-${MOTO_VERSION}`);
  const server = join(venv, "bin", "moto_server");
  // Written last: a venv without it is what an interrupted install left, and is made again.
  const complete = join(venv, ".complete");
  if (existsSync(complete)) return server;
  onPath("python3", "install moto (the local AWS emulator the tests run against)");
  say(`installing moto[server]==${MOTO_VERSION} from the Python package index into ${venv}`);
  rmSync(venv, { recursive: true, force: true });
  run("python3", ["-m", "venv", venv]);
  run(join(venv, "bin", "python"), ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", `moto[server]==${MOTO_VERSION}`]);
  writeFileSync(complete, "");
  return server;
}

function quoted(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

async function main(): Promise<void> {
  mkdirSync(CACHE, { recursive: true });
  const cliDir = pulumiCli();
  const pulumiHome = await pulumiHomeWithTestProvider();
  const moto = motoServer();
  const version = execFileSync(join(cliDir, "pulumi"), ["version"], { encoding: "utf8" }).trim();
  say(`Pulumi CLI ${version}, test provider aws ${awsPluginVersion()}, moto ${MOTO_VERSION}`);
  process.stdout.write(
    [
      `export PATH=${quoted(cliDir)}:"$PATH"`,
      `export PULUMI_HOME=${quoted(pulumiHome)}`,
      `export CENSUS_PINPOINT_MOTO_SERVER=${quoted(moto)}`,
      "export PULUMI_SKIP_UPDATE_CHECK=true",
    ].join("\n") + "\n",
  );
}

try {
  await main();
} catch (error) {
  if (!(error instanceof SetupFailure)) throw error;
  say(error.message);
  process.exitCode = 1;
}
