/**
 * `npm start [-- <args>]`: the CLI from a clone, and nothing else on the terminal. It rebuilds only
 * when a source is newer than the build (or there is none), with the build's output kept back unless
 * the build fails, then runs dist/wizard/bin.js in this same process, so its prompts, signals and exit
 * code are the CLI's own. Plain JavaScript, so it runs before anything is compiled.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
/** What `npm run build` reads: the CLI's and the component's sources, the build's own settings, the dependencies. */
const SOURCES = ["wizard", "infra", "scripts/buildLibrary.ts", "scripts/bundleCli.ts", "tsconfig.json", "tsconfig.build.json", "package.json", "package-lock.json"];
/** What it writes: the CLI bundle and the package's main entry (ES module and CommonJS builds). */
const OUTPUTS = ["dist/wizard/bin.js", "dist/infra/index.js", "dist/cjs/index.js"];

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/** The newest modification time under `path` (a file or a folder). */
function newest(path) {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  let latest = stats.mtimeMs; // a deleted or renamed file changes its folder
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

function isStale() {
  const built = OUTPUTS.map((output) => mtime(join(root, output)));
  if (built.some((time) => time === undefined)) return true;
  const source = Math.max(...SOURCES.map((path) => newest(join(root, path))));
  return source > Math.min(...built);
}

if (isStale()) {
  const tty = process.stderr.isTTY;
  if (tty) process.stderr.write("Building census-pinpoint from the sources…");
  const npm = process.env.npm_execpath;
  // The same build as `npm run build`, through the npm that runs this script when there is one.
  const build = npm
    ? spawnSync(process.execPath, [npm, "run", "--silent", "build"], { cwd: root, encoding: "utf8" })
    : spawnSync("npm", ["run", "--silent", "build"], { cwd: root, encoding: "utf8", shell: process.platform === "win32" });
  if (tty) process.stderr.write("\r\u001b[K");
  if (build.status !== 0) {
    process.stderr.write(`${build.stdout ?? ""}${build.stderr ?? ""}${build.error ? `${build.error.message}\n` : ""}`);
    process.stderr.write("✖ The build failed (its output is above); census-pinpoint did not start.\n");
    process.exit(build.status ?? 1);
  }
}

// bin.js reads its arguments from process.argv.slice(2), which here are those given to `npm start --`.
await import(pathToFileURL(join(root, "dist/wizard/bin.js")).href);
