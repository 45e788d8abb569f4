/**
 * The test double's backend: one JSON document per stack under a `file://` backend, the DIY backend's
 * lock files, the passphrase secrets provider and the per-stack config file. Every CLI invocation is
 * its own process, so everything lives in files, written atomically so a concurrent process never
 * reads half a document.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomUUID, scryptSync } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { hostname, homedir, userInfo } from "node:os";
import { join } from "node:path";
import yaml from "js-yaml";

/** A failure the real CLI would report: `text` goes to stderr as is, the exit code is the CLI's 255. */
export class CliFailure extends Error {
  constructor(text, { stdout = "" } = {}) {
    super(text);
    this.stdout = stdout;
  }
}

function writeAtomically(file, text, mode = 0o600) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode });
  renameSync(temporary, file);
}

export function readYaml(file) {
  return existsSync(file) ? (yaml.load(readFileSync(file, "utf8")) ?? {}) : undefined;
}

/** The project the CLI works on: `name` (and `backend.url`) of Pulumi.yaml in the working directory. */
export function loadProject(cwd) {
  const settings = readYaml(join(cwd, "Pulumi.yaml"));
  if (!settings?.name) {
    throw new CliFailure(`error: no Pulumi.yaml project file found (searching upwards from ${cwd}). If you have not created a project yet, use \`pulumi new\` to do so: no project file found`);
  }
  return { name: settings.name, backendUrl: settings.backend?.url };
}

/**
 * The state root of a `file://` backend. PULUMI_BACKEND_URL wins over the project's `backend.url`,
 * as in the real CLI. Without either the CLI would use Pulumi Cloud, which needs a login.
 */
export function backendRoot(env, project) {
  const url = env.PULUMI_BACKEND_URL || project.backendUrl;
  if (!url) throw new CliFailure("error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions");
  if (!url.startsWith("file://")) {
    throw new CliFailure(`error: the pulumi test double supports only file:// backends; got ${url}`);
  }
  const path = url.slice("file://".length).replace(/\?.*$/, "");
  return path === "~" || path.startsWith("~/") ? join(homedir(), path.slice(1)) : path;
}

/** Where one stack's files are, in the project-scoped layout of DIY backends (Pulumi 3.61+). */
export function stackPaths(root, projectName, stack) {
  return {
    root,
    stacksDir: join(root, ".pulumi", "stacks", projectName),
    stateFile: join(root, ".pulumi", "stacks", projectName, `${stack}.json`),
    lockDir: join(root, ".pulumi", "locks", "organization", projectName, stack),
  };
}

export function stackExists(paths) {
  return existsSync(paths.stateFile);
}

export function noStackError(stack) {
  return new CliFailure(`error: no stack named '${stack}' found`);
}

/** The stack's document: { secrets, resources, outputs, history }. */
export function loadStack(paths, stack) {
  if (!stackExists(paths)) throw noStackError(stack);
  return JSON.parse(readFileSync(paths.stateFile, "utf8"));
}

export function saveStack(paths, state) {
  mkdirSync(paths.stacksDir, { recursive: true });
  writeAtomically(paths.stateFile, `${JSON.stringify(state, null, 2)}\n`);
}

export function removeStack(paths) {
  rmSync(paths.stateFile, { force: true });
  rmSync(paths.lockDir, { recursive: true, force: true });
}

export function listStackNames(root, projectName) {
  const dir = stackPaths(root, projectName, "").stacksDir;
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .map((file) => file.slice(0, -".json".length));
}

// ---- locks ---------------------------------------------------------------------------------------

function lockFiles(paths) {
  return existsSync(paths.lockDir) ? readdirSync(paths.lockDir).filter((file) => file.endsWith(".json")).map((file) => join(paths.lockDir, file)) : [];
}

export function isLocked(paths) {
  return lockFiles(paths).length > 0;
}

/** The DIY backend's own wording, which the SDK maps to ConcurrentUpdateError. */
function lockedError(files) {
  const lines = files.map((file) => {
    let holder = {};
    try {
      holder = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      // Being written or just removed: name the file anyway.
    }
    return `  file://${file}: created by ${holder.username}@${holder.hostname} (pid ${holder.pid}) at ${holder.timestamp}`;
  });
  return new CliFailure(
    `error: the stack is currently locked by ${files.length} lock(s). Either wait for the other process(es) to end or delete the lock file with \`pulumi cancel\`.\n${lines.join("\n")}`,
  );
}

/**
 * Takes the stack's lock for an update or destroy, and returns its release. Our file is written
 * before the second look, so of two runs racing each other at least one sees the other.
 */
export function acquireLock(paths) {
  const others = lockFiles(paths);
  if (others.length > 0) throw lockedError(others);
  mkdirSync(paths.lockDir, { recursive: true });
  const mine = join(paths.lockDir, `${randomUUID()}.json`);
  writeAtomically(mine, JSON.stringify({ pid: process.pid, username: userInfo().username, hostname: hostname(), timestamp: new Date().toISOString() }));
  const competing = lockFiles(paths).filter((file) => file !== mine);
  const release = () => rmSync(mine, { force: true });
  if (competing.length > 0) {
    release();
    throw lockedError(competing);
  }
  // A crash must not leave the lock behind unless the process is killed outright (as the real CLI).
  process.on("exit", release);
  return release;
}

/** `pulumi cancel` on a DIY backend: removes every lock file of the stack. */
export function breakLocks(paths) {
  for (const file of lockFiles(paths)) rmSync(file, { force: true });
}

// ---- passphrase secrets provider -------------------------------------------------------------------

const NO_PASSPHRASE = 'error: constructing secrets manager of type "passphrase": passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE environment variables';
const WRONG_PASSPHRASE =
  'error: constructing secrets manager of type "passphrase": incorrect passphrase, please set PULUMI_CONFIG_PASSPHRASE to the correct passphrase or set PULUMI_CONFIG_PASSPHRASE_FILE to a file containing the passphrase';

function passphraseFrom(env) {
  if (env.PULUMI_CONFIG_PASSPHRASE !== undefined) return env.PULUMI_CONFIG_PASSPHRASE;
  if (env.PULUMI_CONFIG_PASSPHRASE_FILE) {
    try {
      return readFileSync(env.PULUMI_CONFIG_PASSPHRASE_FILE, "utf8");
    } catch (error) {
      throw new CliFailure(`error: unable to read PULUMI_CONFIG_PASSPHRASE_FILE: ${error.message}`);
    }
  }
  throw new CliFailure(NO_PASSPHRASE);
}

// A cheap scrypt: this protects test fixtures, and every CLI call pays for it.
function keyFor(passphrase, salt) {
  return scryptSync(passphrase, Buffer.from(salt, "base64"), 32, { N: 1024 });
}

function encrypt(key, plaintext) {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString("base64")).join(":");
}

function decrypt(key, sealed) {
  const [iv, tag, ciphertext] = sealed.split(":").map((part) => Buffer.from(part, "base64"));
  const decipher = createDecipheriv("aes-256-gcm", key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
}

/**
 * What `stack init` records: a salt and a known text sealed with the passphrase, so a later run with
 * another passphrase is refused with the CLI's "incorrect passphrase" instead of garbling secrets.
 */
export function newSecretsState(env) {
  const salt = randomBytes(16).toString("base64");
  return { salt, check: encrypt(keyFor(passphraseFrom(env), salt), "pulumi") };
}

/** Seals and opens secret values (stored as `{ secure }`) with the stack's passphrase. */
export function secretsManager(env, secrets) {
  const key = keyFor(passphraseFrom(env), secrets.salt);
  try {
    decrypt(key, secrets.check);
  } catch {
    throw new CliFailure(WRONG_PASSPHRASE);
  }
  return {
    seal: (value) => ({ secure: encrypt(key, JSON.stringify(value)) }),
    open: (value) => (isSealed(value) ? JSON.parse(decrypt(key, value.secure)) : value),
  };
}

export function isSealed(value) {
  return typeof value === "object" && value !== null && typeof value.secure === "string";
}

// ---- stack config: Pulumi.<stack>.yaml in the working directory, as the real CLI keeps it ------------

export function configFile(cwd, stack) {
  return join(cwd, `Pulumi.${stack}.yaml`);
}

/** `{ key: plaintext | { secure } }`, keys fully qualified (`aws:region`, `census-pinpoint:...`). */
export function readConfig(cwd, stack) {
  return readYaml(configFile(cwd, stack))?.config ?? {};
}

export function writeConfig(cwd, stack, config) {
  const file = configFile(cwd, stack);
  const settings = readYaml(file) ?? {};
  writeAtomically(file, yaml.dump({ ...settings, config }), 0o644);
}

export function removeConfig(cwd, stack) {
  rmSync(configFile(cwd, stack), { force: true });
}
