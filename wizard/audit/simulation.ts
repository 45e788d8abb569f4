/**
 * IAM's policy simulator (SimulatePrincipalPolicy), asked with the administrator's credentials
 * whether the principal may do what the policy reading says it may. Where AWS answers, its word wins
 * (it sees permissions boundaries and everything the reading assumes); where it does not (emulators
 * answer HTTP 500 or NotImplemented, or the caller may not use it), the reading stands alone and the
 * finding says so.
 */
import { simulatePrincipalPolicy, type SimulatorDecision } from "../aws/policySimulator.js";
import type { AwsTarget } from "../aws/target.js";
import { adminSkipReason } from "../verify/adminAccess.js";
import type { AccessRequest } from "./policyEvaluation.js";
import { probeKey, type Grant, type ProbeVerdicts } from "./policyGrants.js";
import type { AuditMethod } from "./report.js";

export type { SimulatorDecision } from "../aws/policySimulator.js";

export type Simulation =
  | { available: true; decisions: ReadonlyMap<string, SimulatorDecision> }
  /** Why the simulator gave no answer, said after "the policy simulator is not available: ". */
  | { available: false; reason: string };

export async function simulate(admin: AwsTarget, principalArn: string, requests: AccessRequest[]): Promise<Simulation> {
  if (requests.length === 0) return { available: true, decisions: new Map() };
  try {
    const answers = await simulatePrincipalPolicy(admin, principalArn, requests);
    const decisions = new Map<string, SimulatorDecision>();
    requests.forEach((request, index) => {
      const decision = answers[index];
      if (decision !== undefined) decisions.set(probeKey(request), decision);
    });
    return { available: true, decisions };
  } catch (error) {
    return { available: false, reason: adminSkipReason(error, admin, "SimulatePrincipalPolicy", "iam:SimulatePrincipalPolicy") };
  }
}

/** The simulator's answers as the grant reading takes them: allowed or not. */
export function verdictsOf(simulation: Simulation): ProbeVerdicts | undefined {
  if (!simulation.available) return undefined;
  return new Map([...simulation.decisions].map(([key, decision]) => [key, decision === "allowed"]));
}

/** Every probe of the grants, once: what the simulator is asked. */
export function probesOf(grants: Grant[]): AccessRequest[] {
  const seen = new Map<string, AccessRequest>();
  for (const { action, resource } of grants.flatMap((grant) => grant.probes)) seen.set(probeKey({ action, resource }), { action, resource });
  return [...seen.values()];
}

/** "simulated" when the simulator confirmed each probe that shows the grant; else the reading's. */
export function methodOf(grant: Grant, simulation: Simulation): AuditMethod {
  if (!simulation.available || grant.probes.length === 0) return "policy-read";
  return grant.probes.every((probe) => simulation.decisions.get(probeKey(probe)) === "allowed") ? "simulated" : "policy-read";
}

/** Evidence lines: the simulator's answers for the grant, or why there are none. */
export function simulationEvidence(grant: Grant, simulation: Simulation): string[] {
  if (grant.probes.length === 0) return [];
  if (!simulation.available) return [`Read from the policy documents: IAM's policy simulator gave no answer (${simulation.reason})`];
  return grant.probes.map((probe) => `IAM's policy simulator: ${probe.action} on ${probe.resource} → ${simulation.decisions.get(probeKey(probe)) ?? "no answer"}`);
}
