/**
 * `adopt`: a setup made by hand (Census's guide) comes under a stack without an outage. The stack takes
 * over the staging bucket (Pulumi's import: same name, same files) and creates the least-privilege
 * importer role, Census user and key beside the old ones, which it leaves as they are; `retire`
 * removes those once Census uses the new key.
 */
import { validateBucketName } from "../../infra/validation.js";
import type { CommandOptions } from "./commandFlags.js";
import type { CommandContext } from "./context.js";
import { flagSpelling } from "./flagRegistry.js";
import { UsageError } from "../errors.js";
import { parsedFlag } from "./flags.js";
import { provision } from "./setup.js";

export async function adoptCommand(flags: CommandOptions<"adopt">, context: CommandContext): Promise<void> {
  const { existingBucket } = flags;
  if (existingBucket === undefined) {
    throw new UsageError(
      `adopt needs the staging bucket Census uses now: pass ${flagSpelling("existingBucket")} <name>.`,
      "It is the S3 Staging Bucket Name in Census (Destinations → your Amazon Pinpoint destination). Without a setup made by hand, use `census-pinpoint setup`.",
    );
  }
  parsedFlag("existingBucket", existingBucket, validateBucketName);
  await provision(flags, context, { existingBucket });
}
