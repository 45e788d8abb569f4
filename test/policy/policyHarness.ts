/**
 * Runs policy rules the way @pulumi/policy's analyzer server does (server.js: makeAnalyzeRpcFun and
 * makeAnalyzeStackRpcFun), without starting that server: the same argument bag, props behind the
 * same unknown-checking proxy, and `notApplicable` thrown and caught.
 */
import * as policySdk from "@pulumi/policy";
import type {
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { Resource } from "@pulumi/pulumi";
import { installMocks, resolve, settle, type CapturedResource } from "../helpers/pulumiMocks.js";

// Exported at runtime but marked @internal, so missing from the package's typings.
const { unknownCheckingProxy } = policySdk as unknown as { unknownCheckingProxy<T>(value: T): T };

export interface Violation {
  message: string;
  urn?: string;
}

export interface RuleOutcome {
  violations: Violation[];
  /** Set when the rule declared itself not applicable to what it was given. */
  notApplicable?: string;
}

/** A resource as a rule sees it: for resource rules `props` are inputs, for stack rules outputs. */
export interface ResourceUnderTest {
  type: string;
  name: string;
  props: Record<string, any>;
}

class NotApplicable extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

const OPTIONS: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

/** server.js isTypeOf: the class's Pulumi type token, else its `isInstance`. */
function isTypeOf(type: string, resourceClass: unknown): boolean {
  const token = (resourceClass as { __pulumiType?: unknown }).__pulumiType;
  if (typeof token === "string" && token !== "") return token === type;
  const isInstance = (resourceClass as { isInstance?: (obj: unknown) => boolean }).isInstance;
  return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

function urnOf(resource: ResourceUnderTest): string {
  return `urn:pulumi:test::census-pinpoint::${resource.type}::${resource.name}`;
}

function throwNotApplicable(reason?: string): never {
  throw new NotApplicable(reason ?? "not applicable");
}

export async function runResourceRule(
  policy: ResourceValidationPolicy,
  resource: ResourceUnderTest,
  config: Record<string, unknown> = {},
): Promise<RuleOutcome> {
  const outcome: RuleOutcome = { violations: [] };
  const validations = policy.validateResource === undefined ? [] : [policy.validateResource].flat();
  for (const validation of validations) {
    const props = unknownCheckingProxy(structuredClone(resource.props));
    const args: ResourceValidationArgs = {
      type: resource.type,
      props,
      urn: urnOf(resource),
      name: resource.name,
      opts: OPTIONS,
      stackTags: new Map(),
      isType: (resourceClass) => isTypeOf(resource.type, resourceClass),
      asType: (resourceClass) => (isTypeOf(resource.type, resourceClass) ? (props as any) : undefined),
      getConfig: <T extends object>() => config as T,
      notApplicable: throwNotApplicable,
    };
    try {
      // The resource's own URN, whatever the rule passes: server.js ignores the urn argument here.
      await validation(args, (message) => outcome.violations.push({ message, urn: args.urn }));
    } catch (error) {
      if (!(error instanceof NotApplicable)) throw error;
      outcome.notApplicable = error.reason;
    }
  }
  return outcome;
}

export async function runStackRule(
  policy: StackValidationPolicy,
  resources: ResourceUnderTest[],
  config: Record<string, unknown> = {},
): Promise<RuleOutcome> {
  const outcome: RuleOutcome = { violations: [] };
  const policyResources: PolicyResource[] = resources.map((resource) => {
    const props = unknownCheckingProxy(structuredClone(resource.props));
    return {
      type: resource.type,
      props,
      urn: urnOf(resource),
      name: resource.name,
      opts: OPTIONS,
      dependencies: [],
      propertyDependencies: {},
      isType: (resourceClass: new (...rest: any[]) => Resource) => isTypeOf(resource.type, resourceClass),
      asType: (resourceClass: new (...rest: any[]) => Resource) =>
        isTypeOf(resource.type, resourceClass) ? (props as any) : undefined,
    };
  });
  try {
    await policy.validateStack(
      {
        resources: policyResources,
        stackTags: new Map(),
        getConfig: <T extends object>() => config as T,
        notApplicable: throwNotApplicable,
      },
      (message, urn) => outcome.violations.push({ message, urn }),
    );
  } catch (error) {
    if (!(error instanceof NotApplicable)) throw error;
    outcome.notApplicable = error.reason;
  }
  return outcome;
}

export function isResourceRule(policy: ResourceValidationPolicy | StackValidationPolicy): policy is ResourceValidationPolicy {
  return "validateResource" in policy;
}

export function isStackRule(policy: ResourceValidationPolicy | StackValidationPolicy): policy is StackValidationPolicy {
  return "validateStack" in policy;
}

/** Resource rules judge the inputs the program declares. */
export function asDeclared(resource: CapturedResource): ResourceUnderTest {
  return { type: resource.type, name: resource.name, props: resource.inputs };
}

/** Stack rules judge the outputs after the update. */
export function asDeployed(resource: CapturedResource): ResourceUnderTest {
  return { type: resource.type, name: resource.name, props: resource.state };
}

/** Runs the real program (infra/stack.ts) under mocks and returns every resource it registered. */
export async function captureProgram(config: Record<string, string>): Promise<CapturedResource[]> {
  const run = installMocks(config);
  const { censusPinpointStack } = await import("../../infra/stack.js");
  const outputs = censusPinpointStack();
  await Promise.all(Object.values(outputs).map((output) => resolve(output)));
  await settle();
  return run.resources;
}
