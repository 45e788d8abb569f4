/** The real Pulumi engine that test/globalSetup.ts (or `eval "$(npm run --silent engine:env)"`) put in use. */
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";

/** The folder holding `pulumi`, and the plugin cache holding the test provider. */
export function realEngine(): { cliDir: string; plugins: string } {
  const cliDir = (process.env.PATH ?? "").split(delimiter).find((dir) => dir !== "" && existsSync(join(dir, "pulumi")));
  const plugins = join(process.env.PULUMI_HOME ?? "", "plugins");
  if (!cliDir || !process.env.PULUMI_HOME || !existsSync(plugins)) {
    throw new Error('No Pulumi engine in this environment: run the tests with `npm test`, or `eval "$(npm run --silent engine:env)"` first.');
  }
  return { cliDir, plugins };
}
