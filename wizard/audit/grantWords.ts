/** How the IAM areas name policies and what they grant, in findings. */
import type { PrincipalPolicy } from "../aws/principalPolicies.js";
import type { Grant } from "./policyGrants.js";
import type { AuditMethod } from "./report.js";
import { methodOf, type Simulation } from "./simulation.js";

/** A policy's short name, unique among a principal's: the same managed policy may reach it twice. */
export function policyLabel(policy: PrincipalPolicy): string {
  const group = policy.holder.kind === "group" ? `group ${policy.holder.name}` : "";
  if (policy.kind === "managed") return group ? `${policy.name} (via ${group})` : policy.name;
  return `${policy.name} (inline${group ? ` policy of ${group}` : ""})`;
}

/** "The AWS managed policy AmazonS3ReadOnlyAccess", as a sentence's subject. */
export function describePolicy(policy: PrincipalPolicy): string {
  const kind = policy.kind === "inline" ? "inline policy" : policy.awsManaged ? "AWS managed policy" : "customer managed policy";
  const via = policy.holder.kind === "group" ? ` (through group ${policy.holder.name})` : "";
  return `The ${kind} ${policy.name}${via}`;
}

/** The grants' reaches as one verb phrase, the worst first. */
export function reachesOf(grants: Grant[]): string {
  return grants.map((grant) => grant.reach).join("; and ");
}

/** "<policy>: Allow … on … (statement n)", once each. */
export function statementEvidence(grants: Grant[]): string[] {
  return [...new Set(grants.flatMap((grant) => grant.sources.map((source) => `${source.policy}: ${source.statement}`)))];
}

/** A finding stands or falls with its worst grant: that one's method is the finding's. */
export function findingMethod(grants: Grant[], simulation: Simulation): AuditMethod {
  return methodOf(grants[0]!, simulation);
}

/** Security Hub IAM.1: customer managed policies should not allow "*" on "*". */
export function fullAdministratorInCustomerPolicy(policy: PrincipalPolicy, grant: Grant): boolean {
  return policy.kind === "managed" && !policy.awsManaged && grant.probes.some((probe) => probe.facet === "everything");
}
