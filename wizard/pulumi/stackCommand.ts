/** One Pulumi CLI command on an open stack, for what the Automation API has no method for. */
import type { LocalWorkspace, Stack } from "@pulumi/pulumi/automation/index.js";

/**
 * PulumiCommand.run: present at runtime (the SDK runs every command through it), absent from its typings;
 * test/wizard/pulumi/sdkPrivateMembers.test.ts fails if an @pulumi/pulumi upgrade removes or changes it.
 */
interface CliRunner {
  run(args: string[], cwd: string, env: Record<string, string>): Promise<{ stdout: string }>;
}

/**
 * Runs `pulumi <args> --stack <name>` in the stack's work dir and returns its stdout. openStack always
 * makes a LocalWorkspace; running a command is internal to the SDK (its runPulumiCmd, and
 * PulumiCommand.run that the typings hide), so this does what runPulumiCmd does.
 */
export async function runStackCommand(stack: Stack, args: string[]): Promise<string> {
  const workspace = stack.workspace as LocalWorkspace;
  const cli = workspace.pulumiCommand as unknown as CliRunner;
  const env = { ...(workspace.pulumiHome ? { PULUMI_HOME: workspace.pulumiHome } : {}), ...workspace.envVars };
  return (await cli.run([...args, "--stack", stack.name], workspace.workDir, env)).stdout;
}
