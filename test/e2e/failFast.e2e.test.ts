// Fail fast, as a user sees it: the built CLI in a pseudo-terminal with no AWS credentials (or an
// expired SSO session, or AWS_ENDPOINT_URL at a closed port). The region question appears, and with
// no key pressed it ends with the credential error and exit 3 within a few seconds. Nothing here
// reaches AWS or moto: every failure happens before any AWS answer.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { useSilentEndpoint } from "../helpers/silentEndpoint.js";
import { killAllSessions, runInPty } from "./harness.js";
import { EXPIRED_SSO_PROFILE, writeExpiredSsoProfile } from "../helpers/expiredSso.js";

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "census-pinpoint-failfast-e2e-"));
});

afterEach(() => {
  killAllSessions();
  rmSync(root, { recursive: true, force: true });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Only what this file sets: a temp HOME with empty AWS files, `node` alone on PATH, no credentials. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const home = join(root, "user-home");
  const bin = join(root, "bin");
  mkdirSync(join(home, ".aws"), { recursive: true });
  mkdirSync(bin, { recursive: true });
  symlinkSync(process.execPath, join(bin, "node"));
  writeFileSync(join(home, ".aws", "config"), "");
  writeFileSync(join(home, ".aws", "credentials"), "");
  return {
    PATH: bin,
    HOME: home,
    TMPDIR: root,
    CENSUS_PINPOINT_HOME: join(root, "census-pinpoint-home"),
    AWS_CONFIG_FILE: join(home, ".aws", "config"),
    AWS_SHARED_CREDENTIALS_FILE: join(home, ".aws", "credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    NO_COLOR: "1",
    TERM: "xterm-256color",
    LANG: "C.UTF-8",
    ...extra,
  };
}

/** Starts setup, waits for the region question, and presses nothing: the question must end by itself. */
async function regionQuestionEndsWith(env: Record<string, string>, firstLine: RegExp) {
  const session = runInPty(["setup"], env);
  await session.waitFor("AWS region of your Pinpoint project", 15_000);
  const shown = Date.now();
  const code = await session.exit(8_000);
  const waited = Date.now() - shown;
  const afterQuestion = session.screen.slice(session.screen.indexOf("AWS region of your Pinpoint project"));
  expect(afterQuestion).toMatch(new RegExp(`✖ ${firstLine.source}`, "m"));
  expect(code).toBe(3);
  expect(waited).toBeLessThan(5_000);
  return session.screen;
}

test("no AWS credentials: the region question ends by itself with \"No AWS credentials found.\" and exit 3", async () => {
  const screen = await regionQuestionEndsWith(cleanEnv(), /No AWS credentials found\./);
  expect(screen).toContain("aws sso login --profile <name>");
});

test("an expired SSO session: the region question ends with the SDK's reason and exit 3", async () => {
  const env = cleanEnv({ AWS_PROFILE: EXPIRED_SSO_PROFILE, AWS_ENDPOINT_URL: `http://127.0.0.1:${await closedPort()}` });
  // Its refresh goes to the closed port.
  writeExpiredSsoProfile(env.AWS_CONFIG_FILE!, env.HOME!);
  await regionQuestionEndsWith(env, /Could not load AWS credentials for profile "sso-expired": Token is expired\./);
});

test("AWS_ENDPOINT_URL at a closed port: the region question ends with \"Could not reach …\" and exit 3", async () => {
  const port = await closedPort();
  const env = cleanEnv({ AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` });
  await regionQuestionEndsWith(env, new RegExp(`Could not reach http://127\\.0\\.0\\.1:${port} \\(set by AWS_ENDPOINT_URL\\) for STS GetCallerIdentity: connection refused`));
});

describe("a lookup still under way", () => {
  const silent = useSilentEndpoint();

  test("Ctrl-C at the region question while STS does not answer: exit 130 at once, not after the lookup's timeouts", async () => {
    const env = cleanEnv({ AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", AWS_ENDPOINT_URL: silent.url });
    const session = runInPty(["setup"], env);
    await session.waitFor("AWS region of your Pinpoint project", 15_000);
    // Long enough for the lookup to be sent to the endpoint that never answers.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const pressed = Date.now();
    session.key("ctrl-c");

    expect(await session.exit(10_000)).toBe(130);
    expect(Date.now() - pressed).toBeLessThan(2_000);
    expect(session.screen).toContain("Cancelled.");
  });
});
