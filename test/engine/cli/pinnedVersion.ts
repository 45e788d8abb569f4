/** The Pulumi version the CLI module here pins: its `github.com/pulumi/pulumi/pkg/v3` requirement in go.mod. */
import { readFileSync } from "node:fs";

export function pinnedPulumiVersion(): string {
  const goMod = readFileSync(new URL("go.mod", import.meta.url), "utf8");
  const match = /github\.com\/pulumi\/pulumi\/pkg\/v3 (v\d+\.\d+\.\d+)/.exec(goMod);
  if (!match) throw new Error("test/engine/cli/go.mod does not require github.com/pulumi/pulumi/pkg/v3");
  return match[1]!;
}
