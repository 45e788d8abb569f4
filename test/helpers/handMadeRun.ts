/**
 * `main()` on this process's environment (the AWS part isolated around moto), for the modes of a
 * command that check a setup made by hand and must not need the Pulumi CLI.
 */
import type { PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import { main } from "../../wizard/cli.js";
import { captureIo } from "./cliIo.js";

/** A Pulumi CLI whose every call fails the test, naming the mode that ran it. */
export function pulumiThatMustNotRun(mode: string): PulumiCommand {
  return {
    command: "pulumi",
    run: () => {
      throw new Error(`${mode} ran the Pulumi CLI`);
    },
  } as unknown as PulumiCommand;
}

export async function runOnProcessEnv(argv: string[], pulumiCommand: PulumiCommand): Promise<{ code: number; stdout: string; stderr: string }> {
  const captured = captureIo({ ...process.env });
  const code = await main(argv, captured.io, { pulumiCommand });
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}
