/**
 * End-to-end harness: the built CLI (dist/wizard/bin.js) as a user runs it, in a pseudo-terminal or
 * with pipes, against a private moto_server, with the real Pulumi CLI that `npm run engine:env` built
 * on PATH and its plugin cache holding the moto-backed test provider in place of the AWS provider.
 * Nothing reaches the real AWS, the real home directory or the developer's own Pulumi home.
 *
 *   const e2e = await startE2e();                     // beforeAll; `await e2e.stop()` in afterAll
 *   const session = runInPty(["setup"], e2e.env());  // or e2e.env({ pulumi: false })
 *   await session.waitFor(/AWS region/); session.key("enter");
 *   expect(await session.exit()).toBe(0);
 *   const { stdout, stderr, code } = await runPiped(["setup", "--no-input", ...], e2e.env());
 *   const { s3, iam } = e2e.aws("us-east-1");          // assert on what the CLI created in moto
 */
import { CreateAppCommand, PinpointClient } from "@aws-sdk/client-pinpoint";
import { IAMClient } from "@aws-sdk/client-iam";
import { S3Client } from "@aws-sdk/client-s3";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as pty from "node-pty";
import { realEngine } from "../helpers/engine.js";
import { DUMMY_CREDENTIALS, isolateAwsEnvironment, startMoto, type MotoServer } from "../helpers/moto.js";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const CLI_BIN = join(REPO, "dist/wizard/bin.js");
export interface CliEnvOptions {
  /** Put the real `pulumi` on PATH (default true); false: PATH holds nothing but `node`. */
  pulumi?: boolean;
  /**
   * Added to (or, when undefined, removed from) the environment, e.g. the test provider's switches
   * CENSUS_TEST_PROVIDER_FAIL and CENSUS_TEST_PROVIDER_DELAY_MS (test/engine/provider/provider.ts).
   */
  extra?: Record<string, string | undefined>;
}

export interface AwsTestClients {
  s3: S3Client;
  iam: IAMClient;
  pinpoint: PinpointClient;
}

export interface E2eContext {
  moto: MotoServer;
  /** CENSUS_PINPOINT_HOME of every CLI run (state backend, work dirs, generated passphrase). */
  home: string;
  /** A clean environment for the CLI: only what the harness sets, never the developer's own. */
  env(options?: CliEnvOptions): Record<string, string>;
  /** Clients at moto with the example keys, for arranging and asserting; destroyed by stop(). */
  aws(region: string): AwsTestClients;
  /** Creates a Pinpoint project (application) in moto and returns its 32-hex ID. */
  createPinpointProject(region: string, name: string): Promise<string>;
  /** Forgets every moto resource and empties CENSUS_PINPOINT_HOME: the next run starts from nothing. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

function assertBuilt(): void {
  for (const file of [CLI_BIN, join(REPO, "dist/infra/policies.js")]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: the e2e tests run the built CLI. Run \`npm run build\` first (\`npm test\` does).`);
  }
}

/**
 * Starts moto and a temp dir for one test file; isolates this process's own AWS environment too.
 * `motoEnv` goes to moto, e.g. MOTO_IAM_LOAD_MANAGED_POLICIES=true for AWS managed policies.
 */
export async function startE2e(motoEnv: Record<string, string> = {}): Promise<E2eContext> {
  assertBuilt();
  const moto = await startMoto(motoEnv);
  const engine = realEngine();
  const isolated = isolateAwsEnvironment(moto.endpoint);
  const root = isolated.dir;
  const home = join(root, "census-pinpoint-home");
  // `node` alone (the test provider's plugin runs `node`), so no other `pulumi` can be found.
  const nodeDir = join(root, "node-bin");
  mkdirSync(nodeDir);
  symlinkSync(process.execPath, join(nodeDir, "node"));
  for (const dir of ["user-home", "tmp"]) mkdirSync(join(root, dir));
  // A Pulumi home of this file's own (the CLI writes workspace files there), sharing the plugin cache.
  const pulumiHome = join(root, "pulumi-home");
  mkdirSync(pulumiHome);
  symlinkSync(engine.plugins, join(pulumiHome, "plugins"));
  const clients: AwsTestClients[] = [];
  const aws = (region: string): AwsTestClients => {
    const config = { region, endpoint: moto.endpoint, credentials: DUMMY_CREDENTIALS };
    const made = { s3: new S3Client({ ...config, forcePathStyle: true }), iam: new IAMClient(config), pinpoint: new PinpointClient(config) };
    clients.push(made);
    return made;
  };

  return {
    moto,
    home,
    env({ pulumi = true, extra = {} } = {}) {
      const env: Record<string, string | undefined> = {
        PATH: [...(pulumi ? [engine.cliDir] : []), nodeDir].join(delimiter),
        PULUMI_HOME: pulumiHome,
        HOME: join(root, "user-home"),
        TMPDIR: join(root, "tmp"),
        CENSUS_PINPOINT_HOME: home,
        AWS_ENDPOINT_URL: moto.endpoint,
        AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey,
        AWS_CONFIG_FILE: isolated.configFile,
        AWS_SHARED_CREDENTIALS_FILE: isolated.credentialsFile,
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        NO_COLOR: "1",
        TERM: "xterm-256color",
        LANG: "C.UTF-8",
        ...extra,
      };
      return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
    },
    aws,
    async createPinpointProject(region, name) {
      const { ApplicationResponse } = await aws(region).pinpoint.send(new CreateAppCommand({ CreateApplicationRequest: { Name: name } }));
      return ApplicationResponse!.Id!;
    },
    async reset() {
      await moto.reset();
      rmSync(home, { recursive: true, force: true });
    },
    async stop() {
      for (const made of clients) for (const client of Object.values(made)) client.destroy();
      isolated.restore();
      await moto.stop();
    },
  };
}

// ---- the terminal ----------------------------------------------------------------------------------

/** CSI (colours, cursor moves, erases), OSC (titles) and two-character escapes. */
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

const KEYS = {
  enter: "\r",
  up: "\u001b[A",
  down: "\u001b[B",
  space: " ",
  tab: "\t",
  backspace: "\u007f",
  escape: "\u001b",
  "ctrl-c": "\u0003",
} as const;

export type KeyName = keyof typeof KEYS;

export interface PtySession {
  /**
   * Waits until `pattern` shows up in the output printed after the previous match, and returns the
   * output so far (ANSI stripped). Rejects, quoting the output, on timeout or if the CLI exits first.
   */
  waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  /** Types text as keystrokes (no Enter). */
  type(text: string): void;
  key(name: KeyName): void;
  /** The exit code; rejects, quoting the output, if the CLI is still running after `timeoutMs`. */
  exit(timeoutMs?: number): Promise<number>;
  /** Everything the CLI printed so far (stdout and stderr share the terminal), ANSI stripped. */
  readonly screen: string;
  /** The same with its escape codes, as a terminal receives it (to replay in a terminal emulator). */
  readonly raw: string;
  kill(): void;
}

const sessions = new Set<pty.IPty>();

/** Ends every pseudo-terminal still running (call it in afterEach/afterAll if a test may fail midway). */
export function killAllSessions(): void {
  for (const term of sessions) term.kill();
  sessions.clear();
}

/** Runs the built CLI in a pseudo-terminal (stdin, stdout and stderr are all the TTY). */
export function runInPty(args: string[], env: Record<string, string>, options: { cols?: number; rows?: number; cwd?: string } = {}): PtySession {
  const term = pty.spawn(process.execPath, [CLI_BIN, ...args], {
    name: env.TERM ?? "xterm-256color",
    cols: options.cols ?? 120,
    rows: options.rows ?? 40,
    cwd: options.cwd ?? env.HOME,
    env,
  });
  sessions.add(term);
  let raw = "";
  let cursor = 0;
  let exitCode: number | undefined;
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((listener) => listener());
  term.onData((data) => {
    raw += data;
    notify();
  });
  term.onExit(({ exitCode: code }) => {
    exitCode = code;
    sessions.delete(term);
    notify();
  });

  /** Resolves when `check` returns a value; re-checked on every output chunk and at exit. */
  const until = <T>(check: () => T | undefined, what: string, timeoutMs: number) =>
    new Promise<T>((resolvePromise, reject) => {
      const finish = () => {
        listeners.delete(poll);
        clearTimeout(timer);
      };
      const poll = () => {
        const value = check();
        if (value !== undefined) {
          finish();
          resolvePromise(value);
        } else if (exitCode !== undefined && what !== "exit") {
          finish();
          reject(new Error(`The CLI exited (${exitCode}) before ${what}. Output:\n${stripAnsi(raw)}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}. Output:\n${stripAnsi(raw)}`));
      }, timeoutMs);
      listeners.add(poll);
      poll();
    });

  return {
    waitFor(pattern, timeoutMs = 15_000) {
      return until(
        () => {
          const screen = stripAnsi(raw);
          const rest = screen.slice(cursor);
          const at = typeof pattern === "string" ? rest.indexOf(pattern) : rest.search(pattern);
          if (at < 0) return undefined;
          const length = typeof pattern === "string" ? pattern.length : (rest.slice(at).match(pattern)?.[0].length ?? 0);
          cursor += at + length;
          return screen;
        },
        String(pattern),
        timeoutMs,
      );
    },
    type(text) {
      term.write(text);
    },
    key(name) {
      term.write(KEYS[name]);
    },
    exit(timeoutMs = 30_000) {
      return until(() => exitCode, "exit", timeoutMs);
    },
    get screen() {
      return stripAnsi(raw);
    },
    get raw() {
      return raw;
    },
    kill() {
      if (exitCode === undefined) term.kill();
    },
  };
}

// ---- pipes -----------------------------------------------------------------------------------------

export interface PipedResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

export interface PipedRun {
  /** Settles when the CLI exits (never rejects on a signal: `code` is null then). */
  result: Promise<PipedResult>;
  /** Output so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Sends `signal` to the CLI's whole process group: itself, the pulumi it runs and its plugins. */
  killGroup(signal: NodeJS.Signals): void;
}

/** Starts the built CLI with pipes (not a TTY) in a process group of its own; `stdin` is written and closed. */
export function startPiped(args: string[], env: Record<string, string>, options: { stdin?: string; cwd?: string } = {}): PipedRun {
  const child = spawn(process.execPath, [CLI_BIN, ...args], { env, cwd: options.cwd ?? env.HOME, stdio: ["pipe", "pipe", "pipe"], detached: true });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const result = new Promise<PipedResult>((resolvePromise, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ stdout, stderr, code }));
  });
  child.stdin.end(options.stdin ?? "");
  return {
    result,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    killGroup(signal) {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    },
  };
}

/** Runs the built CLI with pipes (not a TTY); `stdin` is written and closed (default: empty). */
export async function runPiped(args: string[], env: Record<string, string>, options: { stdin?: string; timeoutMs?: number; cwd?: string } = {}): Promise<PipedResult> {
  const run = startPiped(args, env, options);
  const timeoutMs = options.timeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      run.killGroup("SIGKILL");
      reject(new Error(`census-pinpoint ${args.join(" ")} still running after ${timeoutMs} ms.\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([run.result, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The e2e context for one test file: started before its first test, stopped after its last, with
 * every pseudo-terminal session killed after each test.
 */
export function useE2e({ motoEnv = {} }: { motoEnv?: Record<string, string> } = {}): E2eContext {
  let context: E2eContext | undefined;
  const started = (): E2eContext => {
    if (!context) throw new Error("the e2e context is used outside a test: useE2e() starts it in beforeAll");
    return context;
  };
  beforeAll(async () => {
    context = await startE2e(motoEnv);
  });
  afterEach(() => killAllSessions());
  afterAll(async () => {
    killAllSessions();
    await context?.stop();
  });
  return {
    get moto() {
      return started().moto;
    },
    get home() {
      return started().home;
    },
    env: (options) => started().env(options),
    aws: (region) => started().aws(region),
    createPinpointProject: (region, name) => started().createPinpointProject(region, name),
    reset: () => started().reset(),
    stop: () => started().stop(),
  };
}
