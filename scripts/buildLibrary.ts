/**
 * Builds the package's main entry (infra/index.ts and what it imports) twice: as ES modules with their
 * types in dist/infra (tsc), and as CommonJS in dist/cjs, for programs compiled to CommonJS (`pulumi new
 * aws-typescript`'s default) and Jest in CommonJS mode, which cannot load an ES module. The CommonJS files
 * are esbuild's conversion of tsc's output, file by file, so both builds are the same code. The
 * declarations are copied beside them: dist/cjs/package.json makes TypeScript read those as CommonJS,
 * which `module: node16` consumers need (it refuses a `require` whose types are an ES module).
 * No source maps: they would name sources the package does not ship, and tsc's output reads like them.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { build } from "esbuild";

const ESM = "dist/infra";
const CJS = "dist/cjs";

// tsc never deletes: a module dropped from the entry's imports would stay in the package.
for (const dir of [ESM, CJS]) rmSync(dir, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const compiled = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { stdio: "inherit" });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

const files = readdirSync(ESM, { recursive: true, encoding: "utf8" });
await build({
  entryPoints: files.filter((file) => file.endsWith(".js")).map((file) => join(ESM, file)),
  outbase: ESM,
  outdir: CJS,
  format: "cjs",
  platform: "node",
  target: "node20.19",
  logLevel: "warning",
});
for (const file of files.filter((file) => file.endsWith(".d.ts"))) copyFileSync(join(ESM, file), join(CJS, file));
writeFileSync(join(CJS, "package.json"), `${JSON.stringify({ type: "commonjs" })}\n`);
