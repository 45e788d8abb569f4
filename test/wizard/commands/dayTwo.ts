/** Shared by the day-2 command suites: stacks made through the real driver, and the CLI run as a user would. */
import type { PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import { main } from "../../../wizard/cli.js";
import { deployStack } from "../../../wizard/pulumi/deployStack.js";
import type { SetupInputs } from "../../../wizard/setup/inputs.js";
import { captureIo } from "../../helpers/cliIo.js";
import type { FakePulumi } from "../../helpers/fakePulumi.js";
import { scriptedPrompter, type Script } from "../../helpers/scriptedPrompter.js";
import { INPUTS } from "../pulumi/setup.js";

export const OTHER_PROJECT_ID = "fedcba9876543210fedcba9876543210";

/** A stack as `setup` leaves it, in the fake's backend. */
export async function seedStack(fake: FakePulumi, env: NodeJS.ProcessEnv, inputs: Partial<SetupInputs> = {}): Promise<string> {
  const { stackName } = await deployStack({ env }, { ...INPUTS, ...inputs }, { onProgress: () => {}, pulumiCommand: fake as unknown as PulumiCommand });
  return stackName;
}

/** `census-pinpoint <argv>` with the fake CLI and a scripted prompter; `terminal` makes it interactive. */
export async function runCli(argv: string[], options: { env: NodeJS.ProcessEnv; fake: FakePulumi; script?: Script; terminal?: boolean }) {
  const captured = captureIo(options.env, { terminal: options.terminal });
  const scripted = scriptedPrompter(options.script ?? {});
  const code = await main(argv, captured.io, { pulumiCommand: options.fake as unknown as PulumiCommand, prompter: scripted.prompter });
  return { code, stdout: captured.stdout(), stderr: captured.stderr(), asked: scripted.asked, questions: scripted.questions };
}

/** The stack's `census-pinpoint:` config in the fake, without the namespace. */
export function stackConfig(fake: FakePulumi, stackName: string): Record<string, string> {
  const config = fake.stacks.get(stackName)?.config ?? {};
  return Object.fromEntries(Object.entries(config).map(([key, value]) => [key.replace(/^census-pinpoint:/, ""), value]));
}

export function daysAgo(days: number): string {
  return new Date(Date.now() - days * 24 * 60 * 60 * 1000).toISOString();
}
