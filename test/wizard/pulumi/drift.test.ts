// A refresh preview's engine events turned into drift, in the shape the real 3.248 engine sends them
// (op "same", "update" or "delete" on the outputs event; no diffs or detailedDiff for a refresh).
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import { changedProperties, driftOf, foldIntoGoneParents } from "../../../wizard/pulumi/drift.js";

const STACK = "us-east-1-0123456789abcdef0123456789abcdef";
const BUCKET = "census-pinpoint-staging-01234567-123456789012-us-east-1";
const COMPONENT = "census-pinpoint:index:CensusPinpointStaging";
const urn = (path: string, name: string) => `urn:pulumi:${STACK}::census-pinpoint::${path}::${name}`;
const BUCKET_URN = urn(`${COMPONENT}$aws:s3/bucket:Bucket`, "census-pinpoint-staging");
const LIFECYCLE_URN = urn(`${COMPONENT}$aws:s3/bucket:Bucket$aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration`, "census-pinpoint-staging-lifecycle");
const USER_URN = urn(`${COMPONENT}$aws:iam/user:User`, "census-pinpoint-census-user");
const KEY_URN = urn(`${COMPONENT}$aws:iam/user:User$aws:iam/accessKey:AccessKey`, "census-pinpoint-census-key");
const RULES = [{ id: "expire-staged-files", status: "Enabled", filter: {}, expiration: { days: 7 }, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } }];

interface Recorded {
  urn: string;
  type: string;
  id: string;
  parent?: string;
  outputs: Record<string, unknown>;
}

const bucket: Recorded = { urn: BUCKET_URN, type: "aws:s3/bucket:Bucket", id: BUCKET, parent: urn(COMPONENT, "census-pinpoint"), outputs: { bucket: BUCKET, region: "us-east-1" } };
const lifecycle: Recorded = { urn: LIFECYCLE_URN, type: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", id: BUCKET, parent: BUCKET_URN, outputs: { bucket: BUCKET, rules: RULES } };
const user: Recorded = { urn: USER_URN, type: "aws:iam/user:User", id: "census-pinpoint-01234567", parent: urn(COMPONENT, "census-pinpoint"), outputs: { name: "census-pinpoint-01234567" } };
const key: Recorded = {
  urn: KEY_URN,
  type: "aws:iam/accessKey:AccessKey",
  id: "AKIAIOSFODNN7EXAMPLE",
  parent: USER_URN,
  outputs: { user: "census-pinpoint-01234567", status: "Active", secret: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "[secret]" } },
};

function refreshed(op: "same" | "update" | "delete", resource: Recorded, newOutputs?: Record<string, unknown>): EngineEvent {
  const state = (outputs: Record<string, unknown>) => ({ type: resource.type, urn: resource.urn, custom: true, id: resource.id, parent: resource.parent, inputs: outputs, outputs, provider: "" });
  return {
    sequence: 0,
    timestamp: 0,
    resOutputsEvent: {
      planning: true,
      metadata: { op, urn: resource.urn, type: resource.type, provider: "", old: state(resource.outputs), ...(op === "delete" ? {} : { new: state(newOutputs ?? resource.outputs) }) },
    },
  } as EngineEvent;
}

describe("one event", () => {
  test("a resource refresh would drop from the state is gone, named in words by its AWS name", () => {
    expect(driftOf(refreshed("delete", lifecycle))).toEqual({
      urn: LIFECYCLE_URN,
      parent: BUCKET_URN,
      drift: {
        change: "gone",
        type: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        name: "census-pinpoint-staging-lifecycle",
        description: `lifecycle rule of bucket ${BUCKET}`,
        id: BUCKET,
        alsoGone: [],
      },
    });
  });

  test("a resource refresh would update was changed in AWS: each differing value by its path", () => {
    const shorter = [{ id: "expire-staged-files", status: "Enabled", filter: {}, expiration: { days: 30 } }];
    expect(driftOf(refreshed("update", lifecycle, { bucket: BUCKET, rules: shorter }))?.drift).toMatchObject({
      change: "changed",
      description: `lifecycle rule of bucket ${BUCKET}`,
      properties: [
        { path: "rules[0].abortIncompleteMultipartUpload", before: { daysAfterInitiation: 1 } },
        { path: "rules[0].expiration.days", before: 7, after: 30 },
      ],
    });
  });

  test("unchanged resources, the stack, its component and the provider are no drift", () => {
    expect(driftOf(refreshed("same", bucket))).toBeUndefined();
    const stackEvent = refreshed("delete", { ...bucket, urn: urn("pulumi:pulumi:Stack", `census-pinpoint-${STACK}`), type: "pulumi:pulumi:Stack" });
    expect(driftOf(stackEvent)).toBeUndefined();
    const component = refreshed("update", { ...bucket, urn: urn(COMPONENT, "census-pinpoint"), type: COMPONENT });
    (component.resOutputsEvent!.metadata.old as { custom: boolean }).custom = false;
    expect(driftOf(component)).toBeUndefined();
    expect(driftOf({ sequence: 0, timestamp: 0, resourcePreEvent: { metadata: refreshed("delete", bucket).resOutputsEvent!.metadata } } as EngineEvent)).toBeUndefined();
  });
});

describe("property paths", () => {
  test("added, removed and changed leaves, in objects and arrays", () => {
    expect(changedProperties({ a: 1, b: { c: "x" }, list: [1, 2] }, { a: 1, b: { c: "y", d: true }, list: [1] })).toEqual([
      { path: "b.c", before: "x", after: "y" },
      { path: "b.d", after: true },
      { path: "list[1]", before: 2 },
    ]);
  });

  test("a secret is never shown: two masked secrets compare equal, and one that went away reads [secret]", () => {
    expect(changedProperties(key.outputs, { ...key.outputs, status: "Inactive" })).toEqual([{ path: "status", before: "Active", after: "Inactive" }]);
    const otherSecret = { "4dabf18193072939515e22adb298388d": "0f00", ciphertext: "[secret]" };
    expect(changedProperties(key.outputs, { ...key.outputs, secret: otherSecret })).toEqual([]);
    const withoutSecret = { user: "census-pinpoint-01234567", status: "Active" };
    expect(changedProperties(key.outputs, withoutSecret)).toEqual([{ path: "secret", before: "[secret]" }]);
    expect(JSON.stringify(changedProperties(key.outputs, withoutSecret))).not.toContain("1b47061264138c4ac30d75fd1eb44270");
  });
});

describe("one finding per cause", () => {
  test("a bucket deleted by hand takes its settings along: they are named under it", () => {
    const drifts = foldIntoGoneParents([driftOf(refreshed("delete", lifecycle))!, driftOf(refreshed("delete", bucket))!]);
    expect(drifts).toEqual([expect.objectContaining({ change: "gone", description: `S3 bucket ${BUCKET}`, alsoGone: [`lifecycle rule of bucket ${BUCKET}`] })]);
  });

  test("a setting gone while its bucket exists, and a key gone with its user, each stand as found", () => {
    const drifts = foldIntoGoneParents([
      driftOf(refreshed("delete", lifecycle))!,
      driftOf(refreshed("delete", key))!,
      driftOf(refreshed("delete", user))!,
      driftOf(refreshed("update", bucket, { ...bucket.outputs, region: "eu-west-1" }))!,
    ]);
    expect(drifts.map((drift) => [drift.change, drift.description, drift.change === "gone" ? drift.alsoGone : drift.properties.map((p) => p.path)])).toEqual([
      ["gone", "IAM user census-pinpoint-01234567", ["access key AKIAIOSFODNN7EXAMPLE of user census-pinpoint-01234567"]],
      ["gone", `lifecycle rule of bucket ${BUCKET}`, []],
      ["changed", `S3 bucket ${BUCKET}`, ["region"]],
    ]);
  });
});
