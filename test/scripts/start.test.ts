// scripts/start.mjs (`npm start`) in a stand-in project: its `build` script says something, counts its
// runs and writes a dist/wizard/bin.js that prints its arguments and exits 7. What `npm start` must do:
// build only when a source is newer than the build (or there is none), keep the build's output back
// unless it fails, and run the CLI with its arguments and exit code. (The real build and CLI behind it
// are run by test/docs/readme.test.ts in a fresh clone.)
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
let project: string;

const BUILD = `
const fs = require("node:fs");
console.log("> tsc -p tsconfig.build.json (build chatter)");
console.error("build warning chatter");
if (process.env.FAIL_BUILD) { console.error("wizard/bin.ts(1,1): error TS1005: ';' expected."); process.exit(2); }
fs.appendFileSync("builds.log", "built\\n");
fs.mkdirSync("dist/wizard", { recursive: true });
fs.mkdirSync("dist/infra", { recursive: true });
fs.mkdirSync("dist/cjs", { recursive: true });
fs.writeFileSync("dist/infra/index.js", "");
fs.writeFileSync("dist/cjs/index.js", "");
fs.writeFileSync("dist/wizard/bin.js", "console.error('the wizard', JSON.stringify(process.argv.slice(2))); process.exitCode = 7;\\n");
`;

beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), "census-pinpoint-start-"));
  mkdirSync(join(project, "scripts"));
  mkdirSync(join(project, "wizard"));
  copyFileSync(join(REPO, "scripts/start.mjs"), join(project, "scripts/start.mjs"));
  writeFileSync(join(project, "build.cjs"), BUILD);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "stand-in", version: "1.0.0", type: "module", scripts: { build: "node build.cjs" } }));
  writeFileSync(join(project, "wizard/bin.ts"), "// the CLI's source\n");
});

afterEach(() => rmSync(project, { recursive: true, force: true }));

function start(args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const { npm_execpath: _, ...inherited } = process.env;
  return spawnSync(process.execPath, [join(project, "scripts/start.mjs"), ...args], { cwd: project, env: { ...inherited, ...env }, encoding: "utf8" });
}

const builds = () => (existsSync(join(project, "builds.log")) ? readFileSync(join(project, "builds.log"), "utf8").split("\n").filter(Boolean).length : 0);

test("no build yet: builds without a word of the build's output, then runs the CLI with the arguments and its exit code", () => {
  const run = start(["setup", "--help"]);

  expect(run.stdout).toBe("");
  expect(run.stderr).toBe('the wizard ["setup","--help"]\n');
  expect(run.status).toBe(7);
  expect(builds()).toBe(1);
});

test("up to date: no build; a source newer than the build: one build again", () => {
  start();
  start();
  expect(builds()).toBe(1);

  const later = new Date(Date.now() + 5_000);
  utimesSync(join(project, "wizard/bin.ts"), later, later);
  const run = start();
  expect(run.stderr).toBe("the wizard []\n");
  expect(builds()).toBe(2);
});

test("a failed build: its whole output, one line saying the CLI did not start, and the build's exit code", () => {
  const run = start([], { FAIL_BUILD: "1" });

  expect(run.stderr).toContain("(build chatter)");
  expect(run.stderr).toContain("error TS1005");
  expect(run.stderr.trimEnd().split("\n").at(-1)).toBe("✖ The build failed (its output is above); census-pinpoint did not start.");
  expect(run.stderr).not.toContain("the wizard");
  expect(run.status).toBe(2);
});
