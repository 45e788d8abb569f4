/**
 * census-pinpoint as a project that depends on it gets it: `npm pack` of this checkout's build, unpacked
 * into `<root>/node_modules/census-pinpoint`, with what npm would install beside it (its dependencies
 * and peers, and any `tools` the project uses) linked from this checkout's node_modules: the versions
 * the lockfile pins. Only census-pinpoint itself comes from the tarball. npm runs with its cache, logs
 * and home under `<root>`, never the developer's.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export interface PackedPackage {
  /** The tarball `npm pack` made, in `root`. */
  tarball: string;
  /** Its files, as `npm pack --json` lists them. */
  files: string[];
  /** Where it is unpacked: `<root>/node_modules/census-pinpoint`. */
  installed: string;
  /** The environment npm ran in (a home and cache under `root`), for further npm commands. */
  npmEnv: Record<string, string>;
}

/** The newest modification time under `path`. */
function newest(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(path).map((entry) => newest(join(path, entry))));
}

/** `npm pack` packs dist/ as it is: a build older than the sources would test the wrong code. */
function assertFreshBuild(): void {
  const built = ["dist/infra/index.js", "dist/cjs/index.js", "dist/wizard/bin.js"].map((file) => join(REPO, file));
  const missing = built.find((file) => !existsSync(file));
  if (missing) throw new Error(`${missing} is missing: this test packs the build. Run \`npm run build\` first (\`npm test\` does).`);
  const sources = Math.max(...["infra", "wizard", "scripts/buildLibrary.ts", "scripts/bundleCli.ts", "tsconfig.build.json", "package.json"].map((path) => newest(join(REPO, path))));
  if (Math.min(...built.map((file) => statSync(file).mtimeMs)) < sources) {
    throw new Error("dist/ is older than the sources or the build's settings: run `npm run build` first (`npm test` does).");
  }
}

/**
 * npm's cache for what the registry answers, kept in the project's own .cache: @pulumi/aws's metadata
 * alone is tens of megabytes, and a fresh cache per run fetched it again for each Node.js leg of CI
 * (on a loaded machine, past two minutes). npm revalidates what it holds, so "latest" stays the latest.
 */
export const REGISTRY_CACHE = join(REPO, ".cache", "npm-registry-tests");

export function npmIn(dir: string, args: string[], env: Record<string, string>): string {
  const result = spawnSync("npm", args, { cwd: dir, env, encoding: "utf8", timeout: 300_000 });
  if (result.status !== 0) throw new Error(`npm ${args.join(" ")} (in ${dir}) exited ${result.status ?? result.signal}:\n${result.stdout}\n${result.stderr}${result.error ?? ""}`);
  return result.stdout;
}

export function installPacked(root: string, tools: string[] = []): PackedPackage {
  assertFreshBuild();
  const npmEnv = {
    PATH: process.env.PATH ?? "",
    HOME: join(root, "npm-home"),
    npm_config_cache: join(root, "npm-cache"),
    npm_config_update_notifier: "false",
    npm_config_audit: "false",
    npm_config_fund: "false",
    NO_COLOR: "1",
  };
  mkdirSync(npmEnv.HOME, { recursive: true });
  const [packed] = JSON.parse(npmIn(REPO, ["pack", "--ignore-scripts", "--json", "--pack-destination", root], npmEnv)) as [{ filename: string; files: { path: string }[] }];
  const tarball = join(root, packed.filename);
  const installed = join(root, "node_modules", "census-pinpoint");
  mkdirSync(installed, { recursive: true });
  const untar = spawnSync("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"], { encoding: "utf8" });
  if (untar.status !== 0) throw new Error(`tar -xzf ${tarball} failed: ${untar.stderr}`);
  const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
  for (const name of [...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies), ...tools]) {
    mkdirSync(dirname(join(root, "node_modules", name)), { recursive: true });
    symlinkSync(join(REPO, "node_modules", name), join(root, "node_modules", name));
  }
  return { tarball, files: packed.files.map((file) => file.path), installed, npmEnv };
}
