/**
 * Whether a bucket policy refuses requests without TLS (Security Hub S3.5), and the policy that would:
 * the bucket's own statements kept, with the statement census-pinpoint's stack uses added. A bucket
 * has one policy, so the fix must carry what is already there.
 */
import { bucketArn, tlsOnlyBucketPolicy } from "../../infra/policies.js";
import type { Partition } from "../../infra/regions.js";

type Statement = Record<string, unknown>;

interface ParsedPolicy {
  document: Record<string, unknown>;
  statements: Statement[];
}

export type TlsJudgement =
  | { required: true; statement: string }
  /** `near` names statements that mention aws:SecureTransport without covering the whole bucket. */
  | { required: false; near: string[] };

function listOf(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function parsePolicy(policy: string | undefined): ParsedPolicy {
  if (policy === undefined) return { document: {}, statements: [] };
  const document = JSON.parse(policy) as Record<string, unknown>;
  return { document, statements: listOf(document.Statement).filter((entry): entry is Statement => typeof entry === "object" && entry !== null) };
}

/** IAM's wildcards in an ARN or action: `*` any run of characters, `?` one. */
function matches(pattern: string, value: string): boolean {
  const expression = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${expression}$`, "i").test(value);
}

function everyone(principal: unknown): boolean {
  if (principal === "*") return true;
  const aws = (principal as { AWS?: unknown } | undefined)?.AWS;
  return listOf(aws).includes("*");
}

/** A Bool (or BoolIfExists) condition on aws:SecureTransport being false; keys are case-insensitive. */
function onInsecureTransport(condition: unknown): boolean {
  return Object.entries((condition ?? {}) as Record<string, unknown>).some(
    ([operator, keys]) =>
      /^Bool(IfExists)?$/i.test(operator) &&
      Object.entries((keys ?? {}) as Record<string, unknown>).some(
        ([key, value]) => key.toLowerCase() === "aws:securetransport" && listOf(value).some((entry) => String(entry).toLowerCase() === "false"),
      ),
  );
}

function sidOf(statement: Statement, index: number): string {
  return typeof statement.Sid === "string" && statement.Sid !== "" ? `"${statement.Sid}"` : `number ${index + 1}`;
}

export function judgeTlsPolicy(policy: string | undefined, partition: Partition, bucketName: string): TlsJudgement {
  const bucket = bucketArn(partition, bucketName);
  const objects = `${bucket}/staged.csv`;
  const near: string[] = [];
  for (const [index, statement] of parsePolicy(policy).statements.entries()) {
    if (statement.Effect !== "Deny" || !onInsecureTransport(statement.Condition)) continue;
    const actions = listOf(statement.Action).map(String);
    const resources = listOf(statement.Resource).map(String);
    const whole =
      everyone(statement.Principal) &&
      statement.NotAction === undefined &&
      actions.some((action) => action === "*" || action.toLowerCase() === "s3:*") &&
      resources.some((resource) => matches(resource, bucket)) &&
      resources.some((resource) => matches(resource, objects));
    if (whole) return { required: true, statement: sidOf(statement, index) };
    near.push(sidOf(statement, index));
  }
  return { required: false, near };
}

/** The bucket's policy with census-pinpoint's TLS-only statement added (replacing one of the same Sid). */
export function policyWithTlsStatement(policy: string | undefined, partition: Partition, bucketName: string): Record<string, unknown> {
  const { document, statements } = parsePolicy(policy);
  const [tls] = tlsOnlyBucketPolicy({ partition, bucketName }).Statement;
  return {
    Version: "2012-10-17",
    ...document,
    Statement: [...statements.filter((statement) => statement.Sid !== tls!.Sid), tls],
  };
}
