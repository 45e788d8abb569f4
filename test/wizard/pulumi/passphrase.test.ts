import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EXIT, UsageError } from "../../../wizard/errors.js";
import { resolvePassphrase } from "../../../wizard/pulumi/passphrase.js";
import { progressRecorder, useTempHome } from "./setup.js";

const temp = useTempHome();

const modeOf = (path: string) => statSync(path).mode & 0o777;

test("generates a passphrase once, mode 0600 in a 0700 home, and says where it is and why it matters", async () => {
  const { events, onProgress } = progressRecorder();
  const env = { CENSUS_PINPOINT_HOME: join(temp.home, "fresh") };
  const file = join(temp.home, "fresh", "passphrase");

  const first = await resolvePassphrase(env, onProgress);
  expect(first.envVars).toEqual({ PULUMI_CONFIG_PASSPHRASE_FILE: file });
  expect(modeOf(file)).toBe(0o600);
  expect(modeOf(join(temp.home, "fresh"))).toBe(0o700);
  expect(readFileSync(file, "utf8")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(events).toEqual([{ kind: "info", message: expect.stringContaining(file) }]);
  expect((events[0] as { message: string }).message).toMatch(/secrets .* cannot be read/);
  expect((events[0] as { message: string }).message).not.toContain("\n");

  const content = readFileSync(file, "utf8");
  const second = await resolvePassphrase(env, onProgress);
  expect(second).toEqual(first);
  expect(readFileSync(file, "utf8")).toBe(content);
  expect(events).toHaveLength(1);
});

test("refuses a generated passphrase file that others can read", async () => {
  await resolvePassphrase(temp.env, () => {});
  const file = join(temp.home, "passphrase");
  chmodSync(file, 0o644);
  const error = await resolvePassphrase(temp.env, () => {}).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UsageError);
  expect((error as UsageError).exitCode).toBe(EXIT.usage);
  expect((error as UsageError).hint).toBe(`Run \`chmod 600 ${file}\` and try again.`);
});

test("PULUMI_CONFIG_PASSPHRASE wins, even empty, and nothing is generated", async () => {
  const { events, onProgress } = progressRecorder();
  const passphrase = await resolvePassphrase({ ...temp.env, PULUMI_CONFIG_PASSPHRASE: "", PULUMI_CONFIG_PASSPHRASE_FILE: "/nowhere" }, onProgress);
  expect(passphrase).toEqual({ envVars: { PULUMI_CONFIG_PASSPHRASE: "" }, source: "PULUMI_CONFIG_PASSPHRASE" });
  expect(existsSync(join(temp.home, "passphrase"))).toBe(false);
  expect(events).toEqual([]);
});

test("PULUMI_CONFIG_PASSPHRASE_FILE is used by absolute path when private, refused when world-readable", async () => {
  const file = join(temp.home, "team-passphrase");
  writeFileSync(file, "correct horse", { mode: 0o600 });
  const env = { ...temp.env, PULUMI_CONFIG_PASSPHRASE_FILE: file };
  expect((await resolvePassphrase(env, () => {})).envVars).toEqual({ PULUMI_CONFIG_PASSPHRASE_FILE: file });

  chmodSync(file, 0o644);
  const error = await resolvePassphrase(env, () => {}).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UsageError);
  expect((error as UsageError).message).toContain(file);
  expect((error as UsageError).hint).toContain(`chmod 600 ${file}`);
  expect(existsSync(join(temp.home, "passphrase"))).toBe(false);
});

test("a PULUMI_CONFIG_PASSPHRASE_FILE that does not exist is a usage error", async () => {
  const file = join(temp.home, "missing");
  await expect(resolvePassphrase({ ...temp.env, PULUMI_CONFIG_PASSPHRASE_FILE: file }, () => {})).rejects.toThrow(`PULUMI_CONFIG_PASSPHRASE_FILE names ${file}, which does not exist.`);
});

test("with create: false, no passphrase is invented", async () => {
  const passphrase = await resolvePassphrase(temp.env, () => {}, { create: false });
  expect(passphrase.envVars).toEqual({});
  expect(existsSync(join(temp.home, "passphrase"))).toBe(false);
});
