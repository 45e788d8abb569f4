/**
 * Reads an importer role's trust policy the way it matters to Census: does it let Amazon Pinpoint
 * assume the role for this project, and only for this account and project (aws:SourceAccount and
 * aws:SourceArn, against the confused-deputy problem)? A pure function of the document.
 */
import { PINPOINT_SERVICE_PRINCIPAL } from "../../infra/policies.js";

export interface TrustExpectation {
  accountId: string;
  appArn: string;
}

export interface TrustFindings {
  /** Some Allow statement lets pinpoint.amazonaws.com call sts:AssumeRole. */
  trustsPinpoint: boolean;
  /**
   * Undefined when the conditions are right; else what is wrong with them: "unrestricted" when other
   * accounts or projects could use the role (a condition missing, or a SourceArn pattern too wide).
   */
  conditionProblem?: { kind: "excludes-project" | "unrestricted"; detail: string };
  /** The SourceAccount and SourceArn values of the statement that admits the project, for the report. */
  admitted?: { sourceAccounts: string[]; sourceArns: string[] };
}

type Values = string | string[];
interface Statement {
  Effect?: string;
  Principal?: unknown;
  Action?: Values;
  Condition?: Record<string, Record<string, Values>>;
}

function list(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
}

function trustsPinpoint(statement: Statement): boolean {
  if (statement.Effect !== "Allow") return false;
  const services = typeof statement.Principal === "object" && statement.Principal !== null ? list((statement.Principal as { Service?: unknown }).Service) : [];
  const assumes = list(statement.Action).some((action) => ["sts:AssumeRole", "sts:*", "*"].includes(action));
  return assumes && services.includes(PINPOINT_SERVICE_PRINCIPAL);
}

/** Values a statement's conditions give `key`, with whether each operator matches patterns or exact values. */
function conditionValues(statement: Statement, key: string): Array<{ value: string; pattern: boolean }> {
  const found: Array<{ value: string; pattern: boolean }> = [];
  for (const [rawOperator, entries] of Object.entries(statement.Condition ?? {})) {
    const operator = rawOperator.replace(/^For(?:Any|All)Values:/, "").replace(/IfExists$/, "");
    for (const [conditionKey, values] of Object.entries(entries ?? {})) {
      if (conditionKey.toLowerCase() !== key.toLowerCase()) continue;
      for (const value of list(values)) found.push({ value, pattern: /Like$/.test(operator) });
    }
  }
  return found;
}

function admits(values: Array<{ value: string; pattern: boolean }>, actual: string): boolean {
  // No condition on the key restricts nothing, so it admits everything.
  return values.length === 0 || values.some(({ value, pattern }) => (pattern ? glob(value).test(actual) : value === actual));
}

/**
 * The SourceArn patterns that also admit another project whose ID starts with this one's, such as
 * `apps/<id>*` (or `apps/*`). `apps/<id>/*`, the project's own jobs and segments, is not among them.
 */
function widerThanProject(arns: Array<{ value: string; pattern: boolean }>, appArn: string): string[] {
  const longerId = `${appArn}0`;
  return arns.filter(({ value, pattern }) => pattern && glob(value).test(longerId)).map(({ value }) => value);
}

export function analyzeTrustPolicy(document: unknown, expected: TrustExpectation): TrustFindings {
  // A policy's Statement is one statement or a list of them.
  const raw = typeof document === "object" && document !== null ? (document as { Statement?: unknown }).Statement : undefined;
  const statements = (Array.isArray(raw) ? raw : [raw]).filter((entry): entry is Statement => typeof entry === "object" && entry !== null);
  const trusting = statements.filter(trustsPinpoint);
  if (trusting.length === 0) return { trustsPinpoint: false };

  const described = trusting.map((statement) => {
    const accounts = conditionValues(statement, "aws:SourceAccount");
    const arns = conditionValues(statement, "aws:SourceArn");
    return {
      accounts,
      arns,
      admitsProject: admits(accounts, expected.accountId) && admits(arns, expected.appArn),
      restricted: accounts.length > 0 && arns.length > 0,
      tooWide: widerThanProject(arns, expected.appArn),
    };
  });
  const admitting = described.find((statement) => statement.admitsProject);
  if (!admitting) {
    const shown = described.flatMap((statement) => [...statement.accounts, ...statement.arns].map((entry) => entry.value));
    return {
      trustsPinpoint: true,
      conditionProblem: {
        kind: "excludes-project",
        detail: `the conditions admit only ${shown.join(", ")}, not account ${expected.accountId} and project ${expected.appArn}, so Pinpoint's imports into this project are refused`,
      },
    };
  }
  const open = described.find((statement) => !statement.restricted);
  if (open) {
    const missing = [open.accounts.length === 0 ? "aws:SourceAccount" : undefined, open.arns.length === 0 ? "aws:SourceArn" : undefined].filter(Boolean).join(" and ");
    return {
      trustsPinpoint: true,
      conditionProblem: {
        kind: "unrestricted",
        detail: `a statement trusting ${PINPOINT_SERVICE_PRINCIPAL} has no ${missing} condition, so Pinpoint projects ${open.arns.length === 0 && open.accounts.length > 0 ? "elsewhere in this account" : "of any AWS account"} could use the role (the confused-deputy problem)`,
      },
    };
  }
  const wide = described.find((statement) => statement.tooWide.length > 0);
  if (wide) {
    return {
      trustsPinpoint: true,
      conditionProblem: {
        kind: "unrestricted",
        detail: `the aws:SourceArn pattern ${wide.tooWide.join(", ")} also matches other projects, such as ${expected.appArn}0 (an ID that starts with this project's), so they could use the role (the confused-deputy problem)`,
      },
    };
  }
  return { trustsPinpoint: true, admitted: { sourceAccounts: admitting.accounts.map((entry) => entry.value), sourceArns: admitting.arns.map((entry) => entry.value) } };
}
