/** The AWS credentials census-pinpoint would use, and the identity they resolve to (STS GetCallerIdentity). */
import { getCallerIdentity, type CallerIdentity } from "../aws/identity.js";
import { CliError } from "../errors.js";
import type { AwsTarget } from "../aws/target.js";
import { checkOf, type DoctorCheck } from "./report.js";

const CHECK = checkOf("aws-credentials", "AWS credentials");

export interface CredentialsCheck {
  check: DoctorCheck;
  identity?: CallerIdentity;
}

function whose(target: AwsTarget): string {
  return target.profile ? `profile "${target.profile}"` : "the default credentials";
}

export async function checkCredentials(target: AwsTarget): Promise<CredentialsCheck> {
  try {
    const identity = await getCallerIdentity(target);
    return { check: CHECK.ok(`${identity.arn} (account ${identity.accountId}, ${whose(target)})`), identity };
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    // An expired IAM Identity Center sign-in is the commonest case, and has one fix.
    const sso = target.profile !== undefined && /\bSSO\b/.test(error.message);
    const fix = sso ? `Sign in again with \`aws sso login --profile ${target.profile}\`, then run census-pinpoint doctor again.` : error.hint;
    return { check: CHECK.fail(error.message, fix ?? "Choose credentials with --profile <name> or AWS_PROFILE.") };
  }
}
