/**
 * A stand-in for the `aws` resource provider plugin (pulumi-resource-aws), which cannot be built here,
 * on Pulumi's own provider SDK: the real Pulumi engine loads it from the plugin cache under the version
 * @pulumi/aws asks for, and it creates, reads, updates and deletes the component's resources in
 * whatever AWS endpoint the environment names (moto in the tests). Replace-or-update per input follows
 * the real provider (see s3Kinds.ts and iamKinds.ts for the sources).
 *
 * Switches for tests, read from the environment the engine passes down:
 *   CENSUS_TEST_PROVIDER_FAIL      "<resource name>=<message>": creating, updating or deleting that
 *                                  resource (its Pulumi name, e.g. census-pinpoint-importer-role)
 *                                  fails with <message>, as a transient AWS fault would.
 *   CENSUS_TEST_PROVIDER_DELAY_MS  a pause before each create, update and delete, so a test can
 *                                  interrupt an update or start a second one while it runs.
 *   CENSUS_TEST_PROVIDER_HANG_AFTER_CREATE
 *                                  "<resource name>": once AWS has made that resource, the create never
 *                                  returns, so a test can kill the run between AWS acting and Pulumi
 *                                  recording it.
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as provider from "@pulumi/pulumi/provider/index.js";
import { GetCallerIdentityCommand, type GetCallerIdentityCommandOutput } from "@aws-sdk/client-sts";
import { setTimeout as sleep } from "node:timers/promises";
import { awsClients, call, type Aws } from "./awsCalls.js";
import { IAM_KINDS } from "./iamKinds.js";
import { samePolicy, type Props, type ResourceKind } from "./kind.js";
import { S3_KINDS } from "./s3Kinds.js";

const KINDS: Record<string, ResourceKind> = { ...S3_KINDS, ...IAM_KINDS };

/** What the engine sends for a value not known until an update (during a preview). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** How the engine wraps a secret value for a provider that accepts secrets. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Secret wrappers removed: AWS gets the plain values. */
function revealed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revealed);
  if (value && typeof value === "object") {
    const object = value as Props;
    if (object[SECRET_SIG] !== undefined && "value" in object) return revealed(object.value);
    return Object.fromEntries(Object.entries(object).map(([key, inner]) => [key, revealed(inner)]));
  }
  return value;
}

function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** The inputs that differ between the state (`olds`) and the program (`news`), defaults applied to both. */
export function changedInputs(kind: ResourceKind, olds: Props, news: Props): string[] {
  const value = (props: Props, key: string) => props[key] ?? kind.defaults?.[key];
  return kind.inputs.filter((key) => {
    const [before, after] = [value(olds, key), value(news, key)];
    if (containsUnknown(after)) return true;
    return kind.policyInputs?.includes(key) ? !samePolicy(before, after) : !sameValue(before, after);
  });
}

function kindOf(urn: string): ResourceKind {
  const type = urn.split("::")[2]?.split("$").at(-1) ?? "";
  const kind = KINDS[type];
  if (!kind) throw new Error(`the census-pinpoint test provider does not implement ${type} (test/engine/provider)`);
  return kind;
}

function nameOf(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

export function testAwsProvider(version: string, env: NodeJS.ProcessEnv): provider.Provider {
  let clients: Aws | undefined;
  const aws = () => (clients ??= awsClients(env));
  const delayMs = Number(env.CENSUS_TEST_PROVIDER_DELAY_MS ?? 0);

  /** The step on `urn` is about to change AWS: the test switches apply here. */
  const beforeChange = async (urn: string) => {
    if (delayMs > 0) await sleep(delayMs);
    const spec = env.CENSUS_TEST_PROVIDER_FAIL ?? "";
    const at = spec.indexOf("=");
    if (at > 0 && spec.slice(0, at) === nameOf(urn)) throw new Error(spec.slice(at + 1));
  };

  return {
    version,
    async check(_urn, _olds, news) {
      return { inputs: news };
    },
    async diff(_id, urn, olds, news) {
      const kind = kindOf(urn);
      const changed = changedInputs(kind, olds, news);
      return { changes: changed.length > 0, replaces: changed.filter((key) => kind.replaceOn.includes(key)) };
    },
    async create(urn, inputs) {
      await beforeChange(urn);
      const created = await kindOf(urn).create(aws(), revealed(inputs) as Props);
      if (env.CENSUS_TEST_PROVIDER_HANG_AFTER_CREATE === nameOf(urn)) await new Promise<never>(() => {});
      return created;
    },
    async read(id, urn, props) {
      const kind = kindOf(urn);
      const live = await kind.read(aws(), id, revealed(props ?? {}) as Props);
      // An empty ID tells the engine the resource no longer exists. Inputs as the real provider
      // returns them (an import needs them): the outputs' input properties.
      if (!live) return { id: "", props: {} };
      return { id, props: live, inputs: Object.fromEntries(kind.inputs.filter((key) => live[key] !== undefined).map((key) => [key, live[key]])) };
    },
    async update(id, urn, olds, news) {
      await beforeChange(urn);
      const kind = kindOf(urn);
      if (!kind.update) throw new Error(`${urn}: this type has no in-place update; the diff should have asked for a replacement`);
      return { outs: await kind.update(aws(), id, revealed(olds) as Props, revealed(news) as Props) };
    },
    async delete(id, urn, props) {
      await beforeChange(urn);
      await kindOf(urn).delete(aws(), id, revealed(props) as Props);
    },
    async invoke(token: string, _inputs: pulumi.Inputs) {
      if (token !== "aws:index/getCallerIdentity:getCallerIdentity") {
        throw new Error(`the census-pinpoint test provider does not implement the invoke ${token} (test/engine/provider)`);
      }
      const identity = await call<GetCallerIdentityCommandOutput>(aws().sts, "STS", new GetCallerIdentityCommand({}), "reading AWS caller identity");
      return { outputs: { accountId: identity.Account, arn: identity.Arn, userId: identity.UserId, id: identity.Account } };
    },
  };
}
