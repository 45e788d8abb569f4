/**
 * The flags each command takes, and so the type of its options: the help lists exactly these, and a
 * command that reads a flag it does not take does not compile. Kept apart from the commands, which
 * load only when they run.
 */
import type { FlagKey, OptionsOf } from "./flagRegistry.js";

/** How the day-2 commands name a stack and reach its backend. */
const STACK_FLAGS = ["projectId", "region", "stack", "profile", "backendUrl"] as const satisfies readonly FlagKey[];

const INPUT_FLAGS = ["projectId", "region", "profile", "bucketName", "expirationDays", "importerRoleName", "censusUserName", "kmsKeyArn"] as const satisfies readonly FlagKey[];

export const COMMAND_FLAGS = {
  setup: [...INPUT_FLAGS, "backendUrl", "secretsProvider", "outputFile", "force", "skipVerify", "yes", "allowReplace", "acceptEndOfSupport", "noInput", "json", "verbose"],
  plan: [...INPUT_FLAGS, "accountId", "noInput", "json"],
  credentials: [...STACK_FLAGS, "showSecret", "format", "json", "noInput", "verbose"],
  verify: [...STACK_FLAGS, "bucket", "roleArn", "keyProfile", "json", "noInput", "verbose"],
  "rotate-key": [...STACK_FLAGS, "finish", "yes", "allowReplace", "noInput", "json", "verbose"],
  list: ["profile", "backendUrl", "json", "verbose"],
  status: [...STACK_FLAGS, "all", "json", "noInput", "verbose"],
  teardown: [...STACK_FLAGS, "keepState", "yes", "noInput", "json", "verbose"],
  audit: [...STACK_FLAGS, "bucket", "roleArn", "keyProfile", "censusUser", "json", "noInput", "verbose"],
  // setup's flags, the bucket made by hand in place of --bucket-name, and no --allow-replace.
  adopt: ["projectId", "region", "profile", "expirationDays", "importerRoleName", "censusUserName", "kmsKeyArn", "existingBucket", "backendUrl", "secretsProvider", "outputFile", "force", "skipVerify", "yes", "acceptEndOfSupport", "noInput", "json", "verbose"],
  retire: ["projectId", "region", "profile", "roleArn", "keyProfile", "accessKeyId", "keepRole", "backendUrl", "yes", "noInput", "json", "verbose"],
  doctor: ["profile", "region", "backendUrl", "json", "noInput", "verbose"],
} as const satisfies Record<string, readonly FlagKey[]>;

export type CommandName = keyof typeof COMMAND_FLAGS;

export type CommandOptions<C extends CommandName> = OptionsOf<(typeof COMMAND_FLAGS)[C][number]>;

export type StackOptions = OptionsOf<(typeof STACK_FLAGS)[number]>;

/** What `provision` reads: setup's options, or adopt's. */
export type ProvisionOptions = OptionsOf<(typeof COMMAND_FLAGS)["setup" | "adopt"][number]>;
