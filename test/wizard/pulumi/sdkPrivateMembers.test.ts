// census-pinpoint uses two members of @pulumi/pulumi's Automation API that its typings hide:
// `PulumiCommand.run` (wizard/pulumi/stackCommand.ts runs `stack export`, `config refresh` and
// `stack change-secrets-provider` through it; doctor runs `whoami`) and `CommandError.commandResult`
// (wizard/pulumi/failure.ts reads the CLI's stderr from it). The SDK offers no public way to run one
// command in a stack's work dir with the workspace's environment, nor the CLI's stderr apart from a
// message that mixes in its stdout. These tests run them through a real `PulumiCommand` (a stand-in
// `pulumi` script as its binary), so an @pulumi/pulumi upgrade that removes or changes them fails here,
// by name, rather than in a user's teardown.
import { PulumiCommand, type LocalWorkspace, type Stack } from "@pulumi/pulumi/automation/index.js";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MissingStackError } from "../../../wizard/errors.js";
import { isMissingCli, pulumiFailureToCliError } from "../../../wizard/pulumi/failure.js";
import { runStackCommand } from "../../../wizard/pulumi/stackCommand.js";

let root: string;
let command: PulumiCommand;

// Echoes what it was run with; `stack select` fails the way the real CLI does for a missing stack.
const STAND_IN = `#!/bin/sh
case "$1" in
  version) echo "v3.248.0" ;;
  select) echo "error: no stack named 'prod' found" >&2; exit 255 ;;
  *) echo "args: $*"; echo "cwd: $(pwd)"; echo "home: $PULUMI_HOME"; echo "probe: $PROBE" ;;
esac
`;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "census-pinpoint-sdk-members-"));
  mkdirSync(join(root, "cli", "bin"), { recursive: true });
  mkdirSync(join(root, "work"));
  writeFileSync(join(root, "cli", "bin", "pulumi"), STAND_IN);
  chmodSync(join(root, "cli", "bin", "pulumi"), 0o755);
  command = await PulumiCommand.get({ root: join(root, "cli"), skipVersionCheck: true });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Stack "prod" of a LocalWorkspace, as far as runStackCommand reads one. */
function stackOf(workspace: Partial<Pick<LocalWorkspace, "pulumiCommand" | "workDir" | "pulumiHome" | "envVars">>): Stack {
  return { name: "prod", workspace } as unknown as Stack;
}

test("PulumiCommand.run (private in @pulumi/pulumi's typings) still runs a command in the stack's work dir with the workspace's environment: runStackCommand", async () => {
  const stack = stackOf({ pulumiCommand: command, workDir: join(root, "work"), pulumiHome: join(root, "home"), envVars: { PROBE: "workspace env" } });

  const stdout = await runStackCommand(stack, ["stack", "export"]);

  expect(stdout.split("\n")).toEqual([
    "args: stack export --stack prod --non-interactive",
    `cwd: ${join(root, "work")}`,
    `home: ${join(root, "home")}`,
    "probe: workspace env",
  ]);
});

test("CommandError.commandResult (private in @pulumi/pulumi's typings) still holds the CLI's stderr of a failed command: pulumiFailureToCliError and isMissingCli read it", async () => {
  const failed = await runStackCommand(stackOf({ pulumiCommand: command, workDir: join(root, "work"), envVars: {} }), ["select"]).catch((error: unknown) => error);

  expect(failed).toMatchObject({ name: "StackNotFoundError", commandResult: { stderr: expect.stringContaining("no stack named 'prod' found") } });
  expect(pulumiFailureToCliError(failed, { stackName: "prod" })).toBeInstanceOf(MissingStackError);

  const noCli = await PulumiCommand.get({ root: join(root, "nowhere") }).catch((error: unknown) => error);
  expect(noCli).toMatchObject({ name: "CommandError", commandResult: { stderr: expect.stringMatching(/ENOENT/) } });
  expect(isMissingCli(noCli)).toBe(true);
});
