/**
 * Loading Pulumi's Automation API costs about seven bare Node start-ups, so nothing imports it
 * statically: `--help`, `plan` and the first prompt never pay for it, and `warmUp()` lets the setup
 * command start the import while the user is still answering prompts.
 */
export type Automation = typeof import("@pulumi/pulumi/automation/index.js");

let loading: Promise<Automation> | undefined;

export function loadAutomation(): Promise<Automation> {
  loading ??= import("@pulumi/pulumi/automation/index.js");
  return loading;
}

export function warmUp(): void {
  // A failed import surfaces where a command awaits loadAutomation(); here it would only be an
  // unhandled rejection.
  loadAutomation().catch(() => {});
}
