/**
 * Runs the Pulumi program under `pulumi.runtime.setMocks` and captures every resource it registers,
 * with the inputs the engine would receive (policy JSON included, exactly as the program built it).
 */
import * as pulumi from "@pulumi/pulumi";

export const TEST_ACCOUNT_ID = "123456789012";
export const TEST_PROJECT_ID = "0123456789abcdef0123456789abcdef";
export const TEST_SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
export const TEST_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
/** AWS's other documented example key ID: the id of every access key after the first. */
export const TEST_SECOND_ACCESS_KEY_ID = "AKIAI44QH8DHBEXAMPLE";

export interface CapturedResource {
  type: string;
  name: string;
  inputs: Record<string, any>;
  state: Record<string, any>;
}

export interface MockRun {
  resources: CapturedResource[];
  invokes: string[];
}

function partitionOfRegion(region: string | undefined): string {
  return region?.startsWith("us-gov-") ? "aws-us-gov" : "aws";
}

/** The computed outputs a real provider would return, for the resource types the component uses. */
function computedState(type: string, name: string, inputs: Record<string, any>, region: string): Record<string, any> {
  const partition = partitionOfRegion(region);
  switch (type) {
    case "aws:s3/bucket:Bucket":
      return { bucket: inputs.bucket ?? name, arn: `arn:${partition}:s3:::${inputs.bucket ?? name}`, region: inputs.region ?? region };
    case "aws:iam/role:Role":
      return { arn: `arn:${partition}:iam::${TEST_ACCOUNT_ID}:role/${inputs.name}`, name: inputs.name };
    case "aws:iam/policy:Policy":
      return { arn: `arn:${partition}:iam::${TEST_ACCOUNT_ID}:policy/${inputs.name}`, name: inputs.name };
    case "aws:iam/user:User":
      return { arn: `arn:${partition}:iam::${TEST_ACCOUNT_ID}:user/${inputs.name}`, name: inputs.name };
    case "aws:iam/group:Group":
      return { arn: `arn:${partition}:iam::${TEST_ACCOUNT_ID}:group/${inputs.name}`, name: inputs.name };
    case "aws:iam/accessKey:AccessKey":
      return { secret: TEST_SECRET_KEY, createDate: "2026-11-01T00:00:00Z", status: "Active" };
    default:
      return {};
  }
}

/**
 * Installs mocks and config, then runs `program` (which must import the program modules dynamically,
 * after this call, because `pulumi.Config` reads config when constructed).
 */
export function installMocks(config: Record<string, string>, options: { preview?: boolean } = {}): MockRun {
  const run: MockRun = { resources: [], invokes: [] };
  const region = config["aws:region"] ?? "us-east-1";
  pulumi.runtime.setAllConfig(config);
  pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        const state = { ...args.inputs, ...computedState(args.type, args.name, args.inputs, region) };
        run.resources.push({ type: args.type, name: args.name, inputs: args.inputs, state });
        const keysSoFar = run.resources.filter((r) => r.type === "aws:iam/accessKey:AccessKey").length;
        const id = args.type !== "aws:iam/accessKey:AccessKey" ? `${args.name}-id` : keysSoFar === 1 ? TEST_ACCESS_KEY_ID : TEST_SECOND_ACCESS_KEY_ID;
        return { id, state };
      },
      call(args: pulumi.runtime.MockCallArgs) {
        run.invokes.push(args.token);
        if (args.token === "aws:index/getCallerIdentity:getCallerIdentity") {
          return { accountId: TEST_ACCOUNT_ID, arn: `arn:aws:iam::${TEST_ACCOUNT_ID}:user/admin`, userId: "AIDAEXAMPLE" };
        }
        return {};
      },
    },
    "census-pinpoint",
    "test",
    options.preview ?? false,
    "organization",
  );
  return run;
}

/** Resolves an Output (registration is asynchronous) and reports whether it is secret. */
export async function resolve<T>(output: pulumi.Output<T>): Promise<{ value: T; secret: boolean }> {
  const [value, secret] = await Promise.all([
    new Promise<T>((done) => output.apply((v) => done(v))),
    pulumi.isSecret(output),
  ]);
  return { value, secret };
}

export function byType(run: MockRun, type: string): CapturedResource[] {
  return run.resources.filter((r) => r.type === type);
}

export function oneOfType(run: MockRun, type: string): CapturedResource {
  const found = byType(run, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]!;
}

/** Waits until every registration started so far has reached the mocks. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((done) => setImmediate(done));
}
