/**
 * A private `moto_server` per test file, and an AWS environment that cannot reach the real AWS or read
 * the developer's own profiles and credentials.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** AWS's documented example key pair: never valid anywhere. */
export const DUMMY_CREDENTIALS = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
} as const;

/** moto's account when the access key is not one of its IAM users'. */
export const MOTO_ACCOUNT_ID = "123456789012";

export interface MotoServer {
  endpoint: string;
  /** Forgets every resource and turns IAM enforcement off again. */
  reset(): Promise<void>;
  /** With enforcement on, only moto IAM users' keys work, limited to what their policies allow. */
  enforceIam(on: boolean): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no TCP port from the OS");
  return address.port;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

async function post(url: string, body?: string): Promise<void> {
  const response = await fetch(url, { method: "POST", body });
  if (!response.ok) throw new Error(`POST ${url}: HTTP ${response.status}`);
}

/** `env` is added to moto's environment, e.g. MOTO_S3_ALLOW_CROSSACCOUNT_ACCESS=false. */
export async function startMoto(env: Record<string, string> = {}): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // Its own process group, so stopping it also ends the Python process behind a pyenv shim.
  // engine:env installs moto into the project's cache and names it here (test/globalSetup.ts).
  const server = process.env.CENSUS_PINPOINT_MOTO_SERVER || "moto_server";
  const child = spawn(server, ["-H", "127.0.0.1", "-p", String(port)], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
  // moto logs every request on stderr; the pipe must be drained or moto blocks once it fills.
  let stderrTail = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-4000);
  });
  const spawnFailure = new Promise<never>((_, reject) => child.once("error", reject));
  spawnFailure.catch(() => {});

  const stop = async () => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid, "SIGTERM");
      const killer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, "SIGKILL"), 5000);
      await exited(child);
      clearTimeout(killer);
    }
  };

  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}) before answering:\n${stderrTail}`);
    try {
      const response = await Promise.race([fetch(`${endpoint}/moto-api/`), spawnFailure]);
      if (response.ok) break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new Error(`${server} does not exist: run \`npm run --silent engine:env\``);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`moto_server did not answer on ${endpoint} within 20 s:\n${stderrTail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const enforceIam = (on: boolean) => post(`${endpoint}/moto-api/reset-auth`, on ? "0" : "inf");
  return {
    endpoint,
    reset: async () => {
      await post(`${endpoint}/moto-api/reset`);
      await enforceIam(false);
    },
    enforceIam,
    stop,
  };
}

const AWS_VARIABLES = [
  "AWS_PROFILE",
  "AWS_DEFAULT_PROFILE",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_CREDENTIAL_EXPIRATION",
  "AWS_REGION",
  "AWS_DEFAULT_REGION",
  "AWS_ROLE_ARN",
  "AWS_ROLE_SESSION_NAME",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN",
  "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
  "AWS_MAX_ATTEMPTS",
  "AWS_RETRY_MODE",
];

export interface IsolatedAwsEnvironment {
  /**
   * A folder for the test's own files. The SDK caches every profile file it has read, or found
   * missing, by path: a test that wants a profile writes a new file here and points the variable at it.
   */
  dir: string;
  /** Where AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE point; neither exists. */
  configFile: string;
  credentialsFile: string;
  restore(): void;
}

/**
 * Empties the AWS part of process.env and points everything at `endpoint`: no credentials, no
 * profile, profile files that do not exist, no instance metadata. Tests add what they need.
 */
export function isolateAwsEnvironment(endpoint: string): IsolatedAwsEnvironment {
  const saved = { ...process.env };
  const dir = mkdtempSync(join(tmpdir(), "census-pinpoint-aws-"));
  for (const name of Object.keys(process.env)) {
    if (AWS_VARIABLES.includes(name) || name.startsWith("AWS_ENDPOINT_URL")) delete process.env[name];
  }
  const configFile = join(dir, "aws-config");
  const credentialsFile = join(dir, "aws-credentials");
  Object.assign(process.env, {
    AWS_CONFIG_FILE: configFile,
    AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
    AWS_ENDPOINT_URL: endpoint,
    // Otherwise a credential chain that finds nothing asks the EC2 metadata service, which on a
    // cloud machine would hand out that machine's real credentials.
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    CENSUS_PINPOINT_HOME: join(dir, "home"),
  });
  return {
    dir,
    configFile,
    credentialsFile,
    restore: () => {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What a test file holds of its moto: the server's controls and the isolated AWS environment. */
export interface MotoFixture extends Omit<MotoServer, "stop"> {
  readonly aws: IsolatedAwsEnvironment;
}

/**
 * Starts a moto_server for the test file and isolates the AWS environment around it (both undone after
 * the file's last test). `resetBeforeEach: false` for files whose own beforeEach resets moto at the
 * right moment.
 */
export function useMoto({ env = {}, resetBeforeEach = true }: { env?: Record<string, string>; resetBeforeEach?: boolean } = {}): MotoFixture {
  let server: MotoServer | undefined;
  let aws: IsolatedAwsEnvironment | undefined;
  const started = (): MotoServer => server ?? failNotStarted();
  beforeAll(async () => {
    server = await startMoto(env);
    aws = isolateAwsEnvironment(server.endpoint);
  });
  afterAll(async () => {
    aws?.restore();
    await server?.stop();
  });
  const fixture: MotoFixture = {
    get endpoint() {
      return started().endpoint;
    },
    reset: () => started().reset(),
    enforceIam: (on) => started().enforceIam(on),
    get aws() {
      return aws ?? failNotStarted();
    },
  };
  if (resetBeforeEach) beforeEach(() => fixture.reset());
  return fixture;
}

function failNotStarted(): never {
  throw new Error("moto is used outside a test: useMoto() starts it in beforeAll");
}

/**
 * Writes an AWS shared credentials file with these profiles. The SDK caches profile files by path, so
 * a test that needs other profiles writes a new file rather than rewriting this one.
 */
export function writeAwsProfiles(file: string, profiles: Record<string, { accessKeyId: string; secretAccessKey: string }>): void {
  const sections = Object.entries(profiles).map(
    ([name, key]) => `[${name}]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`,
  );
  writeFileSync(file, sections.join(""));
}

let credentialsFiles = 0;

/**
 * Writes these profiles to a new credentials file in the test's folder and points
 * AWS_SHARED_CREDENTIALS_FILE at it: the SDK caches profile files by path, so a rewritten file would
 * not be read again.
 */
export function useCredentialsFile(aws: IsolatedAwsEnvironment, profiles: Record<string, { accessKeyId: string; secretAccessKey: string }>): void {
  const file = join(aws.dir, `credentials-${++credentialsFiles}`);
  writeAwsProfiles(file, profiles);
  process.env.AWS_SHARED_CREDENTIALS_FILE = file;
}
