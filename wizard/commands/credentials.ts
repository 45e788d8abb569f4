/** `credentials`: Census's six values again, from the stack's outputs; the secret only when asked for. */
import { CENSUS_FORM_FIELDS, type CensusValues } from "../censusValues.js";
import type { CommandOptions } from "./commandFlags.js";
import type { CommandContext } from "./context.js";
import { flagSpelling, withFlags } from "./flagRegistry.js";
import { UsageError } from "../errors.js";
import { readStackValues } from "../pulumi/stackValues.js";
import { selectStack } from "./stackSelection.js";

type OutputFormat = "pretty" | "json" | "env";

/** `--format env` variable names, in Census's form order (README documents them). */
export const ENV_VARIABLES = {
  accessKeyId: "CENSUS_PINPOINT_ACCESS_KEY_ID",
  secretAccessKey: "CENSUS_PINPOINT_SECRET_ACCESS_KEY",
  pinpointProjectId: "CENSUS_PINPOINT_PROJECT_ID",
  stagingBucketName: "CENSUS_PINPOINT_STAGING_BUCKET",
  importerRoleArn: "CENSUS_PINPOINT_IMPORTER_ROLE_ARN",
  awsRegion: "CENSUS_PINPOINT_AWS_REGION",
} as const satisfies Record<(typeof CENSUS_FORM_FIELDS)[number]["key"], string>;

type Options = CommandOptions<"credentials">;

function outputFormat(flags: Options): OutputFormat {
  const format = flags.format?.trim().toLowerCase();
  if (flags.json === true && format !== undefined && format !== "json") {
    throw new UsageError(`${withFlags`${"json"} and ${"format"}`} ${format} ask for two different outputs.`, "Pass only one of them.");
  }
  if (flags.json === true || format === "json") return "json";
  if (format === undefined || format === "pretty" || format === "env") return format ?? "pretty";
  throw new UsageError(`${flagSpelling("format")}: "${format}" is not an output format.`, withFlags`Use ${"format"} pretty (the default), json or env.`);
}

/**
 * Dotenv lines. A masked secret is commented out rather than written as asterisks, so a file made
 * without --show-secret cannot hand a fake key to whatever reads it.
 */
function dotenvLines(values: CensusValues, showSecret: boolean): string[] {
  return CENSUS_FORM_FIELDS.map(({ key }) =>
    key === "secretAccessKey" && !showSecret ? `# ${ENV_VARIABLES[key]}= (masked: add ${flagSpelling("showSecret")} to include it)` : `${ENV_VARIABLES[key]}=${values[key]}`,
  );
}

export async function credentialsCommand(flags: Options, context: CommandContext): Promise<void> {
  const format = outputFormat(flags);
  const showSecret = flags.showSecret === true;
  const { target, ref, name } = await selectStack(flags, context);
  const values = await readStackValues({ ...target, ...ref }, { showSecrets: showSecret, pulumiCommand: context.pulumiCommand, onProgress: context.render.progress });
  const { render } = context;
  switch (format) {
    case "json":
      // A script cannot tell asterisks from a key: null says plainly that the secret was not read.
      render.json({ ...values, secretAccessKey: showSecret ? values.secretAccessKey : null, stackName: name });
      break;
    case "env":
      render.lines(dotenvLines(values, showSecret));
      if (!showSecret) render.info(`${ENV_VARIABLES.secretAccessKey} is commented out because the Secret Key is masked; add ${flagSpelling("showSecret")} to include it.`);
      break;
    case "pretty":
      render.censusValues(values, { showSecret });
      break;
  }
}
