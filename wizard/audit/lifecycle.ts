/**
 * The lifecycle rules a staging bucket needs: every object expires (Census re-uploads what it syncs,
 * so staged customer data has no reason to stay), and incomplete multipart uploads are aborted (their
 * parts are stored, and billed, but listed nowhere). The fix must carry the bucket's existing rules:
 * PutBucketLifecycleConfiguration replaces them all.
 */
import { DEFAULT_EXPIRATION_DAYS } from "../../infra/validation.js";
import { coversEveryObject, type LifecycleRule } from "../aws/bucketSettings.js";
import { shellQuoted } from "./shell.js";

/** How long the stack lets an incomplete upload stay. */
const ABORT_AFTER_DAYS = 1;
const RULE_ID = "expire-staged-files";

export interface LifecycleJudgement {
  /** The enabled rule expiring every object, in words; undefined when there is none. */
  expiry?: string;
  /** The enabled rule aborting every incomplete upload, in words; undefined when there is none. */
  abort?: string;
}

function ruleName(rule: LifecycleRule): string {
  return rule.ID ? `lifecycle rule "${rule.ID}"` : "a lifecycle rule without ID";
}

function days(count: number): string {
  return `${count} day${count === 1 ? "" : "s"}`;
}

export function judgeLifecycle(rules: readonly LifecycleRule[]): LifecycleJudgement {
  const covering = rules.filter((rule) => rule.Status === "Enabled" && coversEveryObject(rule));
  const expiring = covering.find((rule) => rule.Expiration?.Days !== undefined || rule.Expiration?.Date !== undefined);
  const aborting = covering.find((rule) => rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation !== undefined);
  const expiration = expiring?.Expiration;
  return {
    ...(expiring && expiration
      ? {
          expiry:
            expiration.Days !== undefined
              ? `every object expires ${days(expiration.Days)} after it was written (${ruleName(expiring)})`
              : `every object expires on ${expiration.Date!.toISOString().slice(0, 10)} (${ruleName(expiring)})`,
        }
      : {}),
    ...(aborting ? { abort: `incomplete multipart uploads are aborted after ${days(aborting.AbortIncompleteMultipartUpload!.DaysAfterInitiation!)} (${ruleName(aborting)})` } : {}),
  };
}

/** What the rules are, one line each, for a finding's evidence. */
export function describeRules(rules: readonly LifecycleRule[]): string[] {
  if (rules.length === 0) return ["no lifecycle configuration"];
  return rules.map((rule) => {
    const scope = coversEveryObject(rule) ? "every object" : `only objects matching ${JSON.stringify(rule.Filter ?? { Prefix: rule.Prefix })}`;
    const actions = [
      rule.Expiration?.Days !== undefined ? `expire after ${days(rule.Expiration.Days)}` : undefined,
      rule.Expiration?.Date !== undefined ? `expire on ${rule.Expiration.Date.toISOString().slice(0, 10)}` : undefined,
      rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation !== undefined ? `abort incomplete uploads after ${days(rule.AbortIncompleteMultipartUpload.DaysAfterInitiation)}` : undefined,
      rule.Transitions?.length ? "transitions" : undefined,
      rule.NoncurrentVersionExpiration ? "expire noncurrent versions" : undefined,
    ].filter((action) => action !== undefined);
    return `${ruleName(rule)} (${rule.Status}): ${actions.length > 0 ? actions.join(", ") : "no action this audit looks at"}, on ${scope}`;
  });
}

function freeId(rules: readonly LifecycleRule[]): string {
  const taken = new Set(rules.map((rule) => rule.ID));
  let id = RULE_ID;
  for (let suffix = 2; taken.has(id); suffix++) id = `${RULE_ID}-${suffix}`;
  return id;
}

/**
 * The command that adds what is missing, with every existing rule kept as S3 returned it. Rules in
 * the old form (a Prefix of their own, no Filter) cannot share a configuration with Filter rules, so
 * the added rule takes the form the others have.
 */
export function lifecycleFix(bucketName: string, rules: readonly LifecycleRule[], missing: { expiry: boolean; abort: boolean }): { what: string; command: string } {
  const id = freeId(rules);
  const oldForm = rules.some((rule) => rule.Filter === undefined && rule.Prefix !== undefined);
  const added = {
    ID: id,
    Status: "Enabled",
    ...(oldForm ? { Prefix: "" } : { Filter: {} }),
    ...(missing.expiry ? { Expiration: { Days: DEFAULT_EXPIRATION_DAYS } } : {}),
    ...(missing.abort ? { AbortIncompleteMultipartUpload: { DaysAfterInitiation: ABORT_AFTER_DAYS } } : {}),
  };
  const does = [
    missing.expiry ? `expires staged files ${days(DEFAULT_EXPIRATION_DAYS)} after they were written (census-pinpoint's default)` : undefined,
    missing.abort ? `aborts incomplete uploads after ${days(ABORT_AFTER_DAYS)}` : undefined,
  ]
    .filter((part) => part !== undefined)
    .join(" and ");
  const kept = rules.map((rule) => (rule.ID ? `"${rule.ID}"` : "one without ID")).join(", ");
  const what =
    rules.length === 0
      ? `Add lifecycle rule "${id}", which ${does}`
      : `A lifecycle configuration is replaced as a whole: this command keeps the bucket's ${rules.length === 1 ? `existing rule (${kept}) as it is` : `${rules.length} existing rules (${kept}) as they are`} and adds "${id}", which ${does}`;
  const configuration = JSON.stringify({ Rules: [...rules, added] });
  return { what, command: `aws s3api put-bucket-lifecycle-configuration --bucket ${bucketName} --lifecycle-configuration ${shellQuoted(configuration)}` };
}
