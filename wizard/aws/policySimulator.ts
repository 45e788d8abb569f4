/**
 * IAM's policy simulator (SimulatePrincipalPolicy, read-only): may a principal do these actions on
 * these resources, by every policy that reaches it? Asked by verify (the Census user), doctor (the
 * administrator) and audit (the Census user and the importer role).
 */
import { IAMClient, paginateSimulatePrincipalPolicy, type ContextEntry } from "@aws-sdk/client-iam";
import type { AwsTarget } from "./target.js";
import { awsFailureToCliError } from "./awsErrors.js";
import { awsClientConfig } from "./clients.js";

export type SimulatorDecision = "allowed" | "explicitDeny" | "implicitDeny";

export interface SimulationRequest {
  action: string;
  resource: string;
  /** Condition keys the request carries, e.g. iam:PassedToService; string values. */
  context?: Record<string, string>;
}

function contextEntries(context: Record<string, string> | undefined): ContextEntry[] | undefined {
  if (context === undefined) return undefined;
  return Object.entries(context).map(([key, value]) => ({ ContextKeyName: key, ContextKeyType: "string", ContextKeyValues: [value] }));
}

/**
 * The decision for each request, in their order; undefined where the simulator did not answer about
 * it. One call (with its pages) per resource and context: the simulator answers every action of a
 * call. Throws the CLI's AWS errors (emulators answer HTTP 500 or NotImplemented).
 */
export async function simulatePrincipalPolicy(target: AwsTarget, principalArn: string, requests: readonly SimulationRequest[]): Promise<Array<SimulatorDecision | undefined>> {
  const groups = new Map<string, { resource: string; context?: Record<string, string>; actions: Set<string> }>();
  for (const { action, resource, context } of requests) {
    const id = JSON.stringify([resource, context ?? null]);
    const group = groups.get(id) ?? groups.set(id, { resource, context, actions: new Set() }).get(id)!;
    group.actions.add(action);
  }
  const client = new IAMClient(awsClientConfig(target, "IAM"));
  try {
    const answers = await Promise.all(
      [...groups].map(async ([id, { resource, context, actions }]) => {
        const decisions = new Map<string, SimulatorDecision>();
        const pages = paginateSimulatePrincipalPolicy(
          { client },
          { PolicySourceArn: principalArn, ActionNames: [...actions], ResourceArns: [resource], ContextEntries: contextEntries(context) },
        );
        for await (const page of pages) {
          for (const result of page.EvaluationResults ?? []) {
            const decision = result.EvalDecision === "allowed" || result.EvalDecision === "explicitDeny" ? result.EvalDecision : "implicitDeny";
            if (result.EvalActionName) decisions.set(result.EvalActionName, decision);
          }
        }
        return [id, decisions] as const;
      }),
    );
    const byGroup = new Map(answers);
    return requests.map(({ action, resource, context }) => byGroup.get(JSON.stringify([resource, context ?? null]))?.get(action));
  } catch (error) {
    throw awsFailureToCliError(error, { target, service: "IAM", operation: "SimulatePrincipalPolicy", permission: "iam:SimulatePrincipalPolicy" });
  } finally {
    client.destroy();
  }
}
