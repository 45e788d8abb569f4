// `npm run docs`, after changing a policy builder: test/docs/permissions.test.ts fails until
// docs/permissions.md is rewritten. Runs from source with tsx; the path is relative to this file.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderPermissionsDoc } from "./permissionsDoc.js";

const target = fileURLToPath(new URL("../docs/permissions.md", import.meta.url));
writeFileSync(target, renderPermissionsDoc());
console.log(`Wrote ${target}`);
