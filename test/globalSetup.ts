/**
 * Jest's global setup: builds (if missing) and puts in use the real Pulumi CLI, the test provider and
 * moto, through exactly what a developer runs: `eval "$(npm run --silent engine:env)"`. The variables
 * that shell ends with are copied into this process, whose environment the test workers inherit.
 */
import { spawnSync } from "node:child_process";

const SHELL = 'exports="$(npm run --silent engine:env)" || exit 1; eval "$exports"; env -0';

export default function globalSetup(): void {
  const result = spawnSync("sh", ["-c", SHELL], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (result.status !== 0) throw new Error("`npm run --silent engine:env` failed (its message is above): the tests need the engine it builds.");
  for (const entry of result.stdout.split("\0")) {
    const at = entry.indexOf("=");
    if (at > 0) process.env[entry.slice(0, at)] = entry.slice(at + 1);
  }
}
