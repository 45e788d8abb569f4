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
import type { Resource, ResourceTransformation } from "@pulumi/pulumi";
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
  /** The URN of its parent (a component, or another resource); none for a child of the stack. */
  parent?: string;
}

/** A resource the program registered, with the URN of its parent. */
export interface ProgramResource extends CapturedResource {
  parent?: string;
}

class NotApplicable extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

function optionsOf(resource: ResourceUnderTest): PolicyResourceOptions {
  return {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...(resource.parent === undefined ? {} : { parent: resource.parent }),
  };
}

/** server.js isTypeOf: the class's Pulumi type token, else its `isInstance`. */
function isTypeOf(type: string, resourceClass: unknown): boolean {
  const token = (resourceClass as { __pulumiType?: unknown }).__pulumiType;
  if (typeof token === "string" && token !== "") return token === type;
  const isInstance = (resourceClass as { isInstance?: (obj: unknown) => boolean }).isInstance;
  return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

/**
 * The URN the engine gives: its type part is the chain of the parents' types, as in
 * `census-pinpoint:index:CensusPinpointStaging$aws:iam/role:Role$aws:iam/policy:Policy` (the mock
 * monitor keeps only the last parent's type, which is why the harness builds URNs itself).
 */
export function urnOf(resource: { type: string; name: string; parent?: string }): string {
  const parentTypes = resource.parent === undefined ? "" : `${resource.parent.split("::")[2]}$`;
  return `urn:pulumi:test::census-pinpoint::${parentTypes}${resource.type}::${resource.name}`;
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
      opts: optionsOf(resource),
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
      opts: optionsOf(resource),
      dependencies: [],
      propertyDependencies: {},
      isType: (resourceClass: new (...rest: any[]) => Resource) => isTypeOf(resource.type, resourceClass),
      asType: (resourceClass: new (...rest: any[]) => Resource) =>
        isTypeOf(resource.type, resourceClass) ? (props as any) : undefined,
    };
  });
  // server.js links each resource to its parent's object when the parent is in the stack.
  const byUrn = new Map(policyResources.map((resource) => [resource.urn, resource]));
  for (const resource of policyResources) {
    const parent = resource.opts.parent === undefined ? undefined : byUrn.get(resource.opts.parent);
    if (parent !== undefined) resource.parent = parent;
  }
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
export function asDeclared(resource: ProgramResource): ResourceUnderTest {
  return { type: resource.type, name: resource.name, props: resource.inputs, parent: resource.parent };
}

/** Stack rules judge the outputs after the update. */
export function asDeployed(resource: ProgramResource): ResourceUnderTest {
  return { type: resource.type, name: resource.name, props: resource.state, parent: resource.parent };
}

/**
 * Runs the program's component with the stack's config, as infra/stack.ts does, and returns every
 * resource it registered with its parent. Mocks are not told parents, so a transformation (which
 * Pulumi applies to the component and everything under it) records them.
 */
export async function captureProgram(config: Record<string, string>): Promise<ProgramResource[]> {
  const run = installMocks(config);
  const { CensusPinpointStaging, stagingOutputs } = await import("../../infra/component.js");
  const { stagingArgsFromConfig } = await import("../../infra/config.js");
  const { PROJECT_NAME } = await import("../../infra/names.js");
  const registered = new Map<Resource, { type: string; name: string; parent?: Resource }>();
  const record: ResourceTransformation = ({ resource, type, name, opts }) => {
    registered.set(resource, { type, name, parent: opts.parent });
    return undefined;
  };
  const staging = new CensusPinpointStaging(PROJECT_NAME, stagingArgsFromConfig(), { transformations: [record] });
  await Promise.all(Object.values(stagingOutputs(staging)).map((output) => resolve(output)));
  await settle();
  const registeredUrn = (resource: Resource): string => {
    const { type, name, parent } = registered.get(resource)!;
    return urnOf({ type, name, parent: parent === undefined ? undefined : registeredUrn(parent) });
  };
  const parentUrns = new Map(
    [...registered.values()].map(({ type, name, parent }) => [`${type}::${name}`, parent === undefined ? undefined : registeredUrn(parent)]),
  );
  return run.resources.map((resource) => {
    const parent = parentUrns.get(`${resource.type}::${resource.name}`);
    return parent === undefined ? resource : { ...resource, parent };
  });
}
