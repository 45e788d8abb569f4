// Run after changing a policy builder: test/docs/permissions.test.ts fails until docs/permissions.md is rewritten.
// The path is relative to this file, so run it from source with tsx, not from dist.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderPermissionsDoc } from "./permissionsDoc.js";

const target = fileURLToPath(new URL("../../docs/permissions.md", import.meta.url));
writeFileSync(target, renderPermissionsDoc());
console.log(`Wrote ${target}`);
