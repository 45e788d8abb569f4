/** What the test provider knows of one resource type, and the helpers the types share. */
import type { Aws } from "./awsCalls.js";

export type Props = Record<string, unknown>;

export interface ResourceKind {
  /** The inputs of this type the engine may send; their changes are what `diff` looks at. */
  inputs: readonly string[];
  /** Inputs whose change forces a replacement; every other input changes in place. */
  replaceOn: readonly string[];
  /** What the provider fills in for an input left out (Terraform schema defaults). */
  defaults?: Props;
  /** Inputs compared as IAM policy documents (semantically, as the real provider does). */
  policyInputs?: readonly string[];
  create(aws: Aws, inputs: Props): Promise<{ id: string; outs: Props }>;
  /** The live resource as outputs, or undefined when it no longer exists in AWS. */
  read(aws: Aws, id: string, state: Props): Promise<Props | undefined>;
  /**
   * In-place update (no replaceOn input changed); returns the new outputs. A resource keeps its ID in
   * Pulumi's state even where a rename changes it in AWS, so reads go by the name in the state.
   */
  update?(aws: Aws, id: string, olds: Props, news: Props): Promise<Props>;
  delete(aws: Aws, id: string, state: Props): Promise<void>;
}

/** The partition a region belongs to: census-pinpoint's regions are in `aws` or `aws-us-gov`. */
export function partitionOf(region: string): string {
  return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
}

export function text(props: Props, key: string): string {
  const value = props[key];
  if (typeof value !== "string") throw new Error(`the input "${key}" is missing or not a string`);
  return value;
}

export type Tags = Record<string, string>;

export function tagsOf(props: Props): Tags {
  return (props.tags as Tags | undefined) ?? {};
}

export function awsTags(tags: Tags): Array<{ Key: string; Value: string }> {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

export function fromAwsTags(list: Array<{ Key?: string; Value?: string }> | undefined): Tags {
  return Object.fromEntries((list ?? []).map(({ Key, Value }) => [Key ?? "", Value ?? ""]));
}

/** Tags to add or change, and keys to remove, going from `before` to `after`. */
export function tagChanges(before: Tags, after: Tags): { set: Tags; remove: string[] } {
  const set = Object.fromEntries(Object.entries(after).filter(([key, value]) => before[key] !== value));
  return { set, remove: Object.keys(before).filter((key) => !(key in after)) };
}

/** RFC 3339 without fractions, as the provider formats dates such as an access key's `createDate`. */
export function rfc3339(date: Date | undefined): string {
  return (date ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortedKeys((value as Props)[key])]));
  }
  return value;
}

/** Two policy documents mean the same: the provider keeps the configured text when AWS returns an equivalent one. */
export function samePolicy(a: unknown, b: unknown): boolean {
  if (typeof a !== "string" || typeof b !== "string") return a === b;
  try {
    return JSON.stringify(sortedKeys(JSON.parse(a))) === JSON.stringify(sortedKeys(JSON.parse(b)));
  } catch {
    return a === b;
  }
}

/** IAM returns policy documents URL-encoded. */
export function decodePolicy(document: string | undefined): string | undefined {
  return document === undefined ? undefined : decodeURIComponent(document);
}

/** The live document, unless it means the same as the one in the state (whose text is kept then). */
export function livePolicy(live: string | undefined, stored: unknown): unknown {
  return live !== undefined && samePolicy(live, stored) ? stored : live;
}
