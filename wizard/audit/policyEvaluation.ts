/**
 * IAM's evaluation of identity policies, as far as an audit needs it: does a set of policy documents
 * allow an action on a resource? An explicit Deny wins over any Allow; Action/NotAction and
 * Resource/NotResource; `*` and `?` wildcards (actions case-insensitively, resources as written);
 * policy variables from the request's context. Conditions are not evaluated: an Allow under
 * conditions counts as allowing (an audit must not miss a right because it hides behind a condition
 * that often holds), and a Deny under conditions counts as not denying, for the same reason.
 */

/** A policy document with the name a person knows it by. */
export interface NamedPolicy {
  name: string;
  document: unknown;
}

export interface Statement {
  /** The Sid, or the statement's 1-based position when it has none. */
  label: string;
  effect: "Allow" | "Deny";
  /** `not`: the statement names what it does NOT apply to (NotAction, NotResource). */
  actions: { not: boolean; patterns: string[] };
  resources: { not: boolean; patterns: string[] };
  condition?: Record<string, unknown>;
}

export interface AccessRequest {
  action: string;
  resource: string;
}

/** Values of policy variables such as `${aws:username}`; a variable without a value matches nothing. */
export type PolicyVariables = Record<string, string>;

export interface StatementRef {
  policy: string;
  statement: Statement;
}

function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

function elementOf(raw: Record<string, unknown>, name: string): { not: boolean; patterns: string[] } {
  if (raw[`Not${name}`] !== undefined) return { not: true, patterns: strings(raw[`Not${name}`]) };
  return { not: false, patterns: strings(raw[name]) };
}

/** A document's statements (one statement or a list), skipping what is not a statement. */
export function statementsOf(document: unknown): Statement[] {
  const raw = typeof document === "object" && document !== null ? (document as { Statement?: unknown }).Statement : undefined;
  const entries = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return entries.flatMap((entry, index): Statement[] => {
    if (typeof entry !== "object" || entry === null) return [];
    const statement = entry as Record<string, unknown>;
    if (statement.Effect !== "Allow" && statement.Effect !== "Deny") return [];
    const condition = statement.Condition;
    return [
      {
        label: typeof statement.Sid === "string" && statement.Sid !== "" ? statement.Sid : String(index + 1),
        effect: statement.Effect,
        actions: elementOf(statement, "Action"),
        resources: elementOf(statement, "Resource"),
        ...(typeof condition === "object" && condition !== null && Object.keys(condition).length > 0 ? { condition: condition as Record<string, unknown> } : {}),
      },
    ];
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * A pattern as a regular expression: `*` any run of characters, `?` one; in resources also policy
 * variables such as `${aws:username}`, and `${*}`, `${?}`, `${$}` for the characters themselves.
 * Undefined when a variable has no value: then the pattern matches nothing, as in IAM.
 */
function patternRegExp(pattern: string, variables: PolicyVariables, ignoreCase: boolean): RegExp | undefined {
  let source = "";
  for (const token of pattern.split(/(\$\{[^}]*\}|\*|\?)/)) {
    if (token === "*") source += ".*";
    else if (token === "?") source += ".";
    else if (/^\$\{[*?$]\}$/.test(token)) source += escapeRegExp(token[2]!);
    else if (token.startsWith("${")) {
      const name = token.slice(2, -1).trim().toLowerCase();
      const value = Object.entries(variables).find(([key]) => key.toLowerCase() === name)?.[1];
      if (value === undefined) return undefined;
      source += escapeRegExp(value);
    } else source += escapeRegExp(token);
  }
  return new RegExp(`^${source}$`, ignoreCase ? "is" : "s");
}

export function actionMatches(pattern: string, action: string): boolean {
  return patternRegExp(pattern, {}, true)?.test(action) ?? false;
}

export function resourceMatches(pattern: string, resource: string, variables: PolicyVariables = {}): boolean {
  return patternRegExp(pattern, variables, false)?.test(resource) ?? false;
}

function elementMatches(element: { not: boolean; patterns: string[] }, matches: (pattern: string) => boolean): boolean {
  const any = element.patterns.some(matches);
  return element.not ? !any : any;
}

export function statementMatches(statement: Statement, request: AccessRequest, variables: PolicyVariables = {}): boolean {
  // An identity policy's statement without Resource or NotResource is invalid and applies to nothing.
  if (statement.resources.patterns.length === 0 && !statement.resources.not) return false;
  return (
    elementMatches(statement.actions, (pattern) => actionMatches(pattern, request.action)) &&
    elementMatches(statement.resources, (pattern) => resourceMatches(pattern, request.resource, variables))
  );
}

export function statementsOfPolicies(policies: NamedPolicy[]): StatementRef[] {
  return policies.flatMap((policy) => statementsOf(policy.document).map((statement) => ({ policy: policy.name, statement })));
}

/** The unconditional Deny statements of `policies` that refuse the request. */
export function denyingStatements(policies: NamedPolicy[], request: AccessRequest, variables: PolicyVariables = {}): StatementRef[] {
  return statementsOfPolicies(policies).filter(
    ({ statement }) => statement.effect === "Deny" && statement.condition === undefined && statementMatches(statement, request, variables),
  );
}

/** The Allow statements of `policies` that grant the request (conditions assumed to hold). */
export function allowingStatements(policies: NamedPolicy[], request: AccessRequest, variables: PolicyVariables = {}): StatementRef[] {
  return statementsOfPolicies(policies).filter(({ statement }) => statement.effect === "Allow" && statementMatches(statement, request, variables));
}

/**
 * Whether `policies` allow the request: some Allow in them grants it and no unconditional Deny in
 * `denying` (the principal's every policy, by default the same ones) refuses it.
 */
export function isAllowed(policies: NamedPolicy[], request: AccessRequest, variables: PolicyVariables = {}, denying: NamedPolicy[] = policies): boolean {
  return allowingStatements(policies, request, variables).length > 0 && denyingStatements(denying, request, variables).length === 0;
}
