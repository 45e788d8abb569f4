/** What census-pinpoint needs from the Pulumi CLI, and where a user gets it. */

/**
 * This SDK (3.248) runs an inline program for `refresh` and `destroy` only through `--client`, which
 * the CLI gained in 3.181.0; `teardown` uses the same inline program, so an older CLI could set a
 * stack up and then fail to take it down. Requiring 3.181 up front avoids that dead end.
 */
export const MINIMUM_PULUMI_VERSION = "3.181.0";

export const INSTALL_HINT =
  "Install it with `curl -fsSL https://get.pulumi.com | sh` (Linux, macOS) or `brew install pulumi/tap/pulumi`; " +
  "other ways: https://www.pulumi.com/docs/install/";
