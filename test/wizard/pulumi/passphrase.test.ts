import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EXIT, UsageError } from "../../../wizard/errors.js";
import { generatePassphrase, resolvePassphrase } from "../../../wizard/pulumi/passphrase.js";
import { progressRecorder, useTempHome } from "./setup.js";

const temp = useTempHome();

const modeOf = (path: string) => statSync(path).mode & 0o777;

test("without one, nothing is invented: the generated file is named as missing; generating it makes it once, mode 0600 in a 0700 home, and says why it matters", async () => {
  const { events, onProgress } = progressRecorder();
  const env = { CENSUS_PINPOINT_HOME: join(temp.home, "fresh") };
  const file = join(temp.home, "fresh", "passphrase");

  const none = await resolvePassphrase(env);
  expect(none).toEqual({ envVars: {}, source: `no passphrase (${file} does not exist)`, missingFile: file });
  expect(existsSync(file)).toBe(false);

  const first = await generatePassphrase(file, env, onProgress);
  expect(first.envVars).toEqual({ PULUMI_CONFIG_PASSPHRASE_FILE: file });
  expect(modeOf(file)).toBe(0o600);
  expect(modeOf(join(temp.home, "fresh"))).toBe(0o700);
  expect(readFileSync(file, "utf8")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(events).toEqual([{ kind: "info", message: expect.stringContaining(file) }]);
  expect((events[0] as { message: string }).message).toMatch(/secrets .* cannot be read/);

  const content = readFileSync(file, "utf8");
  expect(await resolvePassphrase(env)).toEqual({ envVars: first.envVars, source: first.source });
  expect(await generatePassphrase(file, env, onProgress)).toEqual(first);
  expect(readFileSync(file, "utf8")).toBe(content);
  expect(events).toHaveLength(1);
});

test("refuses a generated passphrase file that others can read", async () => {
  const file = join(temp.home, "passphrase");
  await generatePassphrase(file, temp.env, () => {});
  chmodSync(file, 0o644);
  const error = await resolvePassphrase(temp.env).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UsageError);
  expect((error as UsageError).exitCode).toBe(EXIT.usage);
  expect((error as UsageError).hint).toBe(`Run \`chmod 600 ${file}\` and try again.`);
});

test("PULUMI_CONFIG_PASSPHRASE wins, and nothing is generated", async () => {
  const passphrase = await resolvePassphrase({ ...temp.env, PULUMI_CONFIG_PASSPHRASE: "correct horse", PULUMI_CONFIG_PASSPHRASE_FILE: "/nowhere" });
  expect(passphrase).toEqual({ envVars: { PULUMI_CONFIG_PASSPHRASE: "correct horse" }, source: "PULUMI_CONFIG_PASSPHRASE" });
  expect(existsSync(join(temp.home, "passphrase"))).toBe(false);
});

test("an empty PULUMI_CONFIG_PASSPHRASE is named as such instead of encrypting with an empty passphrase", async () => {
  const error = await resolvePassphrase({ ...temp.env, PULUMI_CONFIG_PASSPHRASE: "" }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UsageError);
  expect((error as UsageError).message).toBe("PULUMI_CONFIG_PASSPHRASE is set but empty.");
});

test("PULUMI_CONFIG_PASSPHRASE_FILE is used by absolute path when private, refused when world-readable", async () => {
  const file = join(temp.home, "team-passphrase");
  writeFileSync(file, "correct horse", { mode: 0o600 });
  const env = { ...temp.env, PULUMI_CONFIG_PASSPHRASE_FILE: file };
  expect((await resolvePassphrase(env)).envVars).toEqual({ PULUMI_CONFIG_PASSPHRASE_FILE: file });

  chmodSync(file, 0o644);
  const error = await resolvePassphrase(env).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UsageError);
  expect((error as UsageError).message).toContain(file);
  expect((error as UsageError).hint).toContain(`chmod 600 ${file}`);
  expect(existsSync(join(temp.home, "passphrase"))).toBe(false);
});

test("a PULUMI_CONFIG_PASSPHRASE_FILE that does not exist, or is a folder, is a usage error naming it", async () => {
  const missing = join(temp.home, "missing");
  await expect(resolvePassphrase({ ...temp.env, PULUMI_CONFIG_PASSPHRASE_FILE: missing })).rejects.toThrow(`PULUMI_CONFIG_PASSPHRASE_FILE names ${missing}, which does not exist.`);
  const folder = join(temp.home, "secrets");
  mkdirSync(folder);
  await expect(resolvePassphrase({ ...temp.env, PULUMI_CONFIG_PASSPHRASE_FILE: folder })).rejects.toThrow(
    "PULUMI_CONFIG_PASSPHRASE_FILE <file> is a folder, not a file holding the passphrase.".replace("<file>", folder),
  );
});
