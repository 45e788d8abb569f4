/**
 * Bundles the CLI (wizard/bin.ts) into dist/wizard/. Loading a few dozen small ES modules (commander,
 * chalk, Inquirer and its helpers) one file at a time cost more than half of the start-up budget
 * (`npm run bench`); one file for what runs before the first prompt, and a chunk per lazily loaded
 * part, keeps `--help` and the first prompt fast. Pulumi and the AWS SDK stay external: they are
 * loaded only when a command needs them, from node_modules as installed, so the inline program and
 * the Automation API share one copy of @pulumi/pulumi. No source maps: the bundle is not minified (its
 * stack traces read as they are), and maps would name sources the package does not ship.
 */
import { build } from "esbuild";
import { rmSync } from "node:fs";

const outdir = "dist/wizard";
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { bin: "wizard/bin.ts" },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.19",
  external: ["@pulumi/*", "@aws-sdk/*", "@smithy/*"],
  // commander is CommonJS and requires Node's built-ins; an ES module has no `require` of its own.
  banner: { js: 'import { createRequire as createRequireForBundle } from "node:module";\nconst require = createRequireForBundle(import.meta.url);' },
  logLevel: "warning",
});
