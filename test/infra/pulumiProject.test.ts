// The repository as a Pulumi project (Pulumi.yaml): `pulumi up` from a clone needs only what
// `npm ci --omit=dev` installs, and the project says which Pulumi CLI it needs.
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const project = readFileSync(join(REPO, "Pulumi.yaml"), "utf8");
const manifest = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8"));
const lock = JSON.parse(readFileSync(join(REPO, "package-lock.json"), "utf8"));
/** What `npm ci --omit=dev` installs at the top: dependencies, and peers (npm installs a root's peers too). */
const production = new Set([...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)]);

/** `@scope/name/deep/path.js` → `@scope/name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

function yamlValue(key: string): string | undefined {
  return new RegExp(`^\\s*${key}:\\s*"?([^"\\n]*)"?\\s*$`, "m").exec(project)?.[1];
}

test("every package the program (Pulumi.yaml main) and its Node.js options load is a dependency or a peer, not a devDependency", async () => {
  const main = yamlValue("main")!;
  const { metafile } = await build({ entryPoints: [join(REPO, main)], bundle: true, packages: "external", platform: "node", format: "esm", write: false, metafile: true, logLevel: "silent" });
  const loaded = new Set(
    Object.values(metafile.inputs)
      .flatMap((input) => input.imports)
      .filter((imported) => imported.external && !imported.path.startsWith("node:"))
      .map((imported) => packageOf(imported.path)),
  );
  for (const [, name] of (yamlValue("nodeargs") ?? "").matchAll(/(?:--import|--require|--loader)\s+(\S+)/g)) loaded.add(packageOf(name!));

  expect([...loaded].sort()).toEqual(expect.arrayContaining(["@pulumi/aws", "@pulumi/pulumi", "tsx"]));
  expect([...loaded].filter((name) => !production.has(name))).toEqual([]);
  // And npm does not count them as dev-only (a peer that is also a devDependency would be).
  expect([...loaded].filter((name) => lock.packages[`node_modules/${name}`]?.dev)).toEqual([]);
});

test("Pulumi.yaml requires a Pulumi CLI at least as new as the SDK in package-lock.json", () => {
  const sdk = lock.packages["node_modules/@pulumi/pulumi"].version as string;
  expect(yamlValue("requiredPulumiVersion")).toBe(`>=${sdk}`);
});
