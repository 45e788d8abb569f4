/**
 * `adopt`: a setup made by hand (Census's guide) comes under a stack without an outage. The stack takes
 * over the staging bucket (Pulumi's import: same name, same files) and creates the least-privilege
 * importer role, Census user and key beside the old ones, which it leaves as they are; `retire`
 * removes those once Census uses the new key.
 */
import { validateBucketName } from "../../infra/validation.js";
import type { CommandContext, ParsedFlags } from "../cli.js";
import { UsageError } from "../errors.js";
import { flagText, parsedFlag } from "./flags.js";
import { provision } from "./setup.js";

export async function adoptCommand(flags: ParsedFlags, context: CommandContext): Promise<void> {
  const existingBucket = flagText(flags, "existingBucket");
  if (existingBucket === undefined) {
    throw new UsageError(
      "adopt needs the staging bucket Census uses now: pass --existing-bucket <name>.",
      "It is the S3 Staging Bucket Name in Census (Destinations → your Amazon Pinpoint destination). Without a setup made by hand, use `census-pinpoint setup`.",
    );
  }
  parsedFlag("--existing-bucket", existingBucket, validateBucketName);
  await provision(flags, context, { existingBucket });
}
