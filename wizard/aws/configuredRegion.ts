/**
 * The region set for a profile in the AWS config file, as the default of the region question. Read
 * by hand rather than through the SDK: loading an SDK client before the first prompt would cost more
 * than the rest of start-up.
 */
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";

/** The `region` of `[default]` or `[profile <name>]` in AWS_CONFIG_FILE (default ~/.aws/config); undefined if none. */
export async function configuredRegion(profile: string | undefined, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(env.AWS_CONFIG_FILE || join(homedir(), ".aws", "config"), "utf8");
  } catch {
    return undefined;
  }
  const name = profile || env.AWS_PROFILE || "default";
  const wanted = name === "default" ? /^(?:profile\s+)?default$/ : new RegExp(`^profile\\s+${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
  let inSection = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[#;].*$/, "").trim();
    const section = /^\[(.+)\]$/.exec(line);
    if (section) inSection = wanted.test(section[1]!.trim());
    else if (inSection) {
      const setting = /^region\s*=\s*(\S+)$/.exec(line);
      if (setting) return setting[1];
    }
  }
  return undefined;
}
