// `npm run --silent engine:env`, the one way in to the real engine for the tests, CI and developers.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MINIMUM_PULUMI_VERSION } from "../../wizard/pulumi/requirements.js";
import { pinnedPulumiVersion } from "./cli/pinnedVersion.js";

const require = createRequire(import.meta.url);

test("the engine is built at the version of @pulumi/pulumi, which the wizard installs too, and which is new enough", () => {
  const pinned = pinnedPulumiVersion();
  const sdk = (require("@pulumi/pulumi/package.json") as { version: string }).version;
  expect(pinned).toBe(`v${sdk}`);
  const [major, minor] = sdk.split(".").map(Number);
  const [minMajor, minMinor] = MINIMUM_PULUMI_VERSION.split(".").map(Number);
  expect(major! > minMajor! || (major === minMajor && minor! >= minMinor!)).toBe(true);
});

test("the language host's copied source is of the CLI's version, and builds against Pulumi's modules of that version", () => {
  const pinned = pinnedPulumiVersion();
  const upstream = readFileSync(new URL("cli/pulumi-language-nodejs/UPSTREAM", import.meta.url), "utf8");
  expect(upstream).toContain(`tag ${pinned} (commit `);
  const goMod = readFileSync(new URL("cli/go.mod", import.meta.url), "utf8");
  expect(goMod).toMatch(new RegExp(`github\\.com/pulumi/pulumi/sdk/v3 ${pinned.replaceAll(".", "\\.")}\\n`));
});

test("without Go on PATH and nothing built yet, it stops with one line that says what is missing and prints no exports", () => {
  const dir = mkdtempSync(join(tmpdir(), "census-pinpoint-engine-env-"));
  try {
    symlinkSync(process.execPath, join(dir, "node"));
    const result = spawnSync(process.execPath, [require.resolve("tsx/cli"), "scripts/engineEnv.ts"], {
      env: { PATH: dir, HOME: dir, CENSUS_PINPOINT_ENGINE_CACHE: join(dir, "cache") },
      encoding: "utf8",
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toEqual([
      "engine:env: go is not on PATH: it is needed to build the Pulumi CLI from Pulumi's Go modules (Go 1.25 or newer, with the Go module proxy reachable).",
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
