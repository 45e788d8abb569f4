import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXIT, PulumiError } from "../../../wizard/errors.js";
import { defaultInstallRoot, ensurePulumiCli, installPulumiCli } from "../../../wizard/pulumi/pulumiCli.js";
import { MINIMUM_PULUMI_VERSION } from "../../../wizard/pulumi/requirements.js";
import { FakePulumi } from "../../helpers/fakePulumi.js";
import { useTempHome } from "./setup.js";

const temp = useTempHome();

/** A stand-in `pulumi` binary under `root` that answers `pulumi version`, for the real PulumiCommand. */
function installScript(root: string, version: string): string {
  const bin = join(root, "bin", "pulumi");
  mkdirSync(join(root, "bin"), { recursive: true });
  writeFileSync(bin, `#!/bin/sh\necho v${version}\n`);
  chmodSync(bin, 0o755);
  return bin;
}

describe("with an injected command", () => {
  test("a new enough CLI is used as it is", async () => {
    const fake = new FakePulumi({ version: MINIMUM_PULUMI_VERSION });
    expect(await ensurePulumiCli({ pulumiCommand: fake, env: temp.env })).toBe(fake);
  });

  test("a too old CLI is refused, naming the version found and the one required", async () => {
    const error = await ensurePulumiCli({ pulumiCommand: new FakePulumi({ version: "3.100.0" }), env: temp.env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PulumiError);
    expect((error as PulumiError).exitCode).toBe(EXIT.pulumi);
    expect((error as PulumiError).message).toBe(`The Pulumi CLI is version 3.100.0; census-pinpoint needs ${MINIMUM_PULUMI_VERSION} or newer.`);
    expect((error as PulumiError).hint).toContain("https://www.pulumi.com/docs/install/");
  });

  test("PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK lets an old CLI through, as it does in the SDK", async () => {
    const fake = new FakePulumi({ version: "3.100.0" });
    expect(await ensurePulumiCli({ pulumiCommand: fake, env: { ...temp.env, PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "1" } })).toBe(fake);
  });
});

describe("with the real PulumiCommand", () => {
  let savedPath: string | undefined;
  let emptyPath: string;
  beforeEach(() => {
    // No `pulumi` on PATH, whatever this machine has.
    emptyPath = mkdtempSync(join(tmpdir(), "census-pinpoint-path-"));
    savedPath = process.env.PATH;
    process.env.PATH = emptyPath;
  });
  afterEach(() => {
    process.env.PATH = savedPath;
    rmSync(emptyPath, { recursive: true, force: true });
  });

  test("no CLI anywhere is the install message", async () => {
    const error = await ensurePulumiCli({ env: temp.env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PulumiError);
    expect((error as PulumiError).message).toMatch(/^The Pulumi CLI was not found\./);
    expect((error as PulumiError).hint).toContain("curl -fsSL https://get.pulumi.com | sh");
  });

  test("falls back to a CLI installed in the default root under CENSUS_PINPOINT_HOME", async () => {
    const bin = installScript(defaultInstallRoot(temp.env), "3.210.0");
    expect(defaultInstallRoot(temp.env)).toBe(join(temp.home, "pulumi"));
    const command = await ensurePulumiCli({ env: temp.env });
    expect(command.command).toBe(bin);
    expect(command.version?.version).toBe("3.210.0");
  });

  test("a too old CLI found there is refused too", async () => {
    installScript(defaultInstallRoot(temp.env), "3.150.0");
    await expect(ensurePulumiCli({ env: temp.env })).rejects.toThrow(`The Pulumi CLI is version 3.150.0; census-pinpoint needs ${MINIMUM_PULUMI_VERSION} or newer.`);
  });

  test("installPulumiCli installs into the root it is given (here: finds the SDK's version already there)", async () => {
    const sdkVersion = (JSON.parse(readFileSync(createRequire(import.meta.url).resolve("@pulumi/pulumi/package.json"), "utf8")) as { version: string }).version;
    const root = join(temp.home, "pulumi");
    const bin = installScript(root, sdkVersion);
    const command = await installPulumiCli(root, temp.env);
    expect(command.command).toBe(bin);
  });
});
