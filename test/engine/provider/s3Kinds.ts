/**
 * The S3 resource types census-pinpoint's component declares, as the AWS provider handles them.
 *
 * Replace or update, from terraform-provider-aws (which @pulumi/aws v7 bridges), each type's schema in
 * internal/service/s3/<file>.go, and website/docs/guides/enhanced-region-support.html.markdown
 * ("Changing the value of `region` will force resource replacement"):
 * - Bucket (bucket.go): `bucket` ForceNew, `region` forces new; `forceDestroy` (state only) and
 *   `tags` in place.
 * - BucketPublicAccessBlock, BucketOwnershipControls, BucketPolicy: `bucket` ForceNew, `region`
 *   forces new; the settings, the ownership rule and the policy are Put in place.
 * - BucketServerSideEncryptionConfiguration, BucketLifecycleConfiguration: `bucket` and
 *   `expectedBucketOwner` force new (RequiresReplace), `region` forces new; `rules` in place.
 */
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketEncryptionCommand,
  DeleteBucketLifecycleCommand,
  DeleteBucketOwnershipControlsCommand,
  DeleteBucketTaggingCommand,
  DeleteObjectsCommand,
  DeletePublicAccessBlockCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListObjectVersionsCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketTaggingCommand,
  PutPublicAccessBlockCommand,
  type GetBucketEncryptionCommandOutput,
  type GetBucketLifecycleConfigurationCommandOutput,
  type GetBucketLocationCommandOutput,
  type GetBucketOwnershipControlsCommandOutput,
  type GetBucketTaggingCommandOutput,
  type GetPublicAccessBlockCommandOutput,
  type LifecycleRule,
  type ListObjectVersionsCommandOutput,
  type S3Client,
  type ServerSideEncryptionRule,
} from "@aws-sdk/client-s3";
import { call, unlessNotFound, type Aws } from "./awsCalls.js";
import { awsTags, fromAwsTags, partitionOf, tagChanges, tagsOf, text, type Props, type ResourceKind } from "./kind.js";

const REGIONAL = ["bucket", "region"] as const;

function client(aws: Aws, props: Props): S3Client {
  return aws.s3(text(props, "region"));
}

async function bucketExists(s3: S3Client, bucket: string): Promise<boolean> {
  return (await unlessNotFound(() => call(s3, "S3", new HeadBucketCommand({ Bucket: bucket }), `reading S3 Bucket (${bucket})`))) !== undefined;
}

async function putTags(s3: S3Client, bucket: string, tags: Record<string, string>): Promise<void> {
  const doing = `setting S3 Bucket (${bucket}) tags`;
  if (Object.keys(tags).length === 0) await unlessNotFound(() => call(s3, "S3", new DeleteBucketTaggingCommand({ Bucket: bucket }), doing));
  else await call(s3, "S3", new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: awsTags(tags) } }), doing);
}

async function emptyBucket(s3: S3Client, bucket: string): Promise<void> {
  const doing = `emptying S3 Bucket (${bucket})`;
  for (;;) {
    const page = await call<ListObjectVersionsCommandOutput>(s3, "S3", new ListObjectVersionsCommand({ Bucket: bucket }), doing);
    const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map(({ Key, VersionId }) => ({ Key, VersionId }));
    if (objects.length === 0) return;
    await call(s3, "S3", new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }), doing);
  }
}

const bucket: ResourceKind = {
  inputs: ["bucket", "region", "forceDestroy", "tags"],
  replaceOn: REGIONAL,
  defaults: { forceDestroy: false },
  async create(aws, inputs) {
    const name = text(inputs, "bucket");
    const region = text(inputs, "region");
    const s3 = aws.s3(region);
    const location = region === "us-east-1" ? undefined : { LocationConstraint: region as never };
    await call(s3, "S3", new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: location }), `creating S3 Bucket (${name})`);
    if (Object.keys(tagsOf(inputs)).length > 0) await putTags(s3, name, tagsOf(inputs));
    return { id: name, outs: bucketOutputs(name, region, inputs) };
  },
  async read(aws, id, state) {
    // An import reads with no state: the bucket's own location says which region to ask.
    const s3 = typeof state.region === "string" ? client(aws, state) : aws.s3("us-east-1");
    if (!(await bucketExists(s3, id))) return undefined;
    const location = await call<GetBucketLocationCommandOutput>(s3, "S3", new GetBucketLocationCommand({ Bucket: id }), `reading S3 Bucket (${id}) location`);
    const region = location.LocationConstraint || "us-east-1";
    const tagging = await unlessNotFound(() =>
      call<GetBucketTaggingCommandOutput>(aws.s3(region), "S3", new GetBucketTaggingCommand({ Bucket: id }), `reading S3 Bucket (${id}) tags`),
    );
    return bucketOutputs(id, region, { ...state, tags: fromAwsTags(tagging?.TagSet) });
  },
  async update(aws, id, olds, news) {
    const before = tagsOf(olds);
    const after = tagsOf(news);
    if (tagChanges(before, after).remove.length + Object.keys(tagChanges(before, after).set).length > 0) await putTags(client(aws, news), id, after);
    return bucketOutputs(id, text(news, "region"), news);
  },
  async delete(aws, id, state) {
    const s3 = client(aws, state);
    if (!(await bucketExists(s3, id))) return;
    // forceDestroy: the provider deletes every object (and version) first; without it S3 refuses a full bucket.
    if (state.forceDestroy === true) await emptyBucket(s3, id);
    await call(s3, "S3", new DeleteBucketCommand({ Bucket: id }), `deleting S3 Bucket (${id})`);
  },
};

function bucketOutputs(name: string, region: string, props: Props): Props {
  const tags = tagsOf(props);
  return {
    ...props,
    bucket: name,
    region,
    bucketRegion: region,
    arn: `arn:${partitionOf(region)}:s3:::${name}`,
    bucketDomainName: `${name}.s3.amazonaws.com`,
    bucketRegionalDomainName: `${name}.s3.${region}.amazonaws.com`,
    forceDestroy: props.forceDestroy ?? false,
    tags,
    tagsAll: tags,
  };
}

/** A sub-resource of the bucket whose ID is the bucket name: create and update are the same Put. */
function bucketSetting(setting: {
  inputs: readonly string[];
  replaceOn: readonly string[];
  defaults?: Props;
  put(s3: S3Client, bucket: string, props: Props): Promise<void>;
  get(s3: S3Client, bucket: string): Promise<Props | undefined>;
  remove(s3: S3Client, bucket: string): Promise<void>;
}): ResourceKind {
  return {
    inputs: setting.inputs,
    replaceOn: setting.replaceOn,
    defaults: setting.defaults,
    async create(aws, inputs) {
      const name = text(inputs, "bucket");
      await setting.put(client(aws, inputs), name, inputs);
      return { id: name, outs: { ...setting.defaults, ...inputs } };
    },
    async read(aws, id, state) {
      const live = await setting.get(client(aws, state), id);
      return live && { ...state, ...live };
    },
    async update(aws, id, _olds, news) {
      await setting.put(client(aws, news), id, news);
      return { ...setting.defaults, ...news };
    },
    async delete(aws, id, state) {
      const s3 = client(aws, state);
      if (await bucketExists(s3, id)) await setting.remove(s3, id);
    },
  };
}

const PUBLIC_ACCESS_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

const publicAccessBlock = bucketSetting({
  inputs: [...REGIONAL, ...PUBLIC_ACCESS_FLAGS],
  replaceOn: REGIONAL,
  defaults: Object.fromEntries(PUBLIC_ACCESS_FLAGS.map((flag) => [flag, false])),
  async put(s3, name, props) {
    const flag = (key: string) => props[key] === true;
    await call(
      s3,
      "S3",
      new PutPublicAccessBlockCommand({
        Bucket: name,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: flag("blockPublicAcls"),
          BlockPublicPolicy: flag("blockPublicPolicy"),
          IgnorePublicAcls: flag("ignorePublicAcls"),
          RestrictPublicBuckets: flag("restrictPublicBuckets"),
        },
      }),
      `putting S3 Bucket (${name}) Public Access Block`,
    );
  },
  async get(s3, name) {
    const found = await unlessNotFound(() =>
      call<GetPublicAccessBlockCommandOutput>(s3, "S3", new GetPublicAccessBlockCommand({ Bucket: name }), `reading S3 Bucket (${name}) Public Access Block`),
    );
    const live = found?.PublicAccessBlockConfiguration;
    return (
      live && {
        blockPublicAcls: live.BlockPublicAcls ?? false,
        blockPublicPolicy: live.BlockPublicPolicy ?? false,
        ignorePublicAcls: live.IgnorePublicAcls ?? false,
        restrictPublicBuckets: live.RestrictPublicBuckets ?? false,
      }
    );
  },
  async remove(s3, name) {
    await unlessNotFound(() => call(s3, "S3", new DeletePublicAccessBlockCommand({ Bucket: name }), `deleting S3 Bucket (${name}) Public Access Block`));
  },
});

const ownershipControls = bucketSetting({
  inputs: [...REGIONAL, "rule"],
  replaceOn: REGIONAL,
  async put(s3, name, props) {
    const ownership = (props.rule as { objectOwnership?: string } | undefined)?.objectOwnership;
    await call(
      s3,
      "S3",
      new PutBucketOwnershipControlsCommand({ Bucket: name, OwnershipControls: { Rules: [{ ObjectOwnership: ownership as never }] } }),
      `creating S3 Bucket (${name}) Ownership Controls`,
    );
  },
  async get(s3, name) {
    const found = await unlessNotFound(() =>
      call<GetBucketOwnershipControlsCommandOutput>(s3, "S3", new GetBucketOwnershipControlsCommand({ Bucket: name }), `reading S3 Bucket (${name}) Ownership Controls`),
    );
    const ownership = found?.OwnershipControls?.Rules?.[0]?.ObjectOwnership;
    return ownership === undefined ? undefined : { rule: { objectOwnership: ownership } };
  },
  async remove(s3, name) {
    await unlessNotFound(() => call(s3, "S3", new DeleteBucketOwnershipControlsCommand({ Bucket: name }), `deleting S3 Bucket (${name}) Ownership Controls`));
  },
});

interface EncryptionRule {
  applyServerSideEncryptionByDefault?: { sseAlgorithm?: string; kmsMasterKeyId?: string };
  bucketKeyEnabled?: boolean;
}

function toAwsEncryption(rule: EncryptionRule): ServerSideEncryptionRule {
  const byDefault = rule.applyServerSideEncryptionByDefault ?? {};
  return {
    ApplyServerSideEncryptionByDefault: {
      SSEAlgorithm: byDefault.sseAlgorithm as never,
      ...(byDefault.kmsMasterKeyId ? { KMSMasterKeyID: byDefault.kmsMasterKeyId } : {}),
    },
    ...(rule.bucketKeyEnabled !== undefined ? { BucketKeyEnabled: rule.bucketKeyEnabled } : {}),
  };
}

function fromAwsEncryption(rule: ServerSideEncryptionRule): EncryptionRule {
  const byDefault = rule.ApplyServerSideEncryptionByDefault;
  return {
    applyServerSideEncryptionByDefault: {
      sseAlgorithm: byDefault?.SSEAlgorithm,
      ...(byDefault?.KMSMasterKeyID ? { kmsMasterKeyId: byDefault.KMSMasterKeyID } : {}),
    },
    ...(rule.BucketKeyEnabled ? { bucketKeyEnabled: true } : {}),
  };
}

const encryption = bucketSetting({
  inputs: [...REGIONAL, "expectedBucketOwner", "rules"],
  replaceOn: [...REGIONAL, "expectedBucketOwner"],
  async put(s3, name, props) {
    const rules = (props.rules as EncryptionRule[] | undefined) ?? [];
    await call(
      s3,
      "S3",
      new PutBucketEncryptionCommand({ Bucket: name, ServerSideEncryptionConfiguration: { Rules: rules.map(toAwsEncryption) } }),
      `creating S3 Bucket (${name}) Server-side Encryption Configuration`,
    );
  },
  async get(s3, name) {
    const found = await unlessNotFound(() =>
      call<GetBucketEncryptionCommandOutput>(s3, "S3", new GetBucketEncryptionCommand({ Bucket: name }), `reading S3 Bucket (${name}) Server-side Encryption Configuration`),
    );
    const rules = found?.ServerSideEncryptionConfiguration?.Rules;
    return rules && { rules: rules.map(fromAwsEncryption) };
  },
  async remove(s3, name) {
    await unlessNotFound(() => call(s3, "S3", new DeleteBucketEncryptionCommand({ Bucket: name }), `deleting S3 Bucket (${name}) Server-side Encryption Configuration`));
  },
});

/**
 * Kept in the state only, never sent to moto: moto applies a bucket policy's Deny statements to object
 * requests without evaluating their conditions, so this TLS-only policy would block every object
 * request there (docs/testing.md). Its life follows the bucket's.
 */
const bucketPolicy: ResourceKind = {
  inputs: [...REGIONAL, "policy"],
  replaceOn: REGIONAL,
  policyInputs: ["policy"],
  async create(_aws, inputs) {
    return { id: text(inputs, "bucket"), outs: inputs };
  },
  async read(aws, id, state) {
    return (await bucketExists(client(aws, state), id)) ? state : undefined;
  },
  async update(_aws, _id, _olds, news) {
    return news;
  },
  async delete() {},
};

interface LifecycleInput {
  id?: string;
  status?: string;
  filter?: { prefix?: string };
  expiration?: { days?: number };
  abortIncompleteMultipartUpload?: { daysAfterInitiation?: number };
}

function toAwsLifecycle(rule: LifecycleInput): LifecycleRule {
  return {
    ID: rule.id,
    Status: rule.status as never,
    Filter: { Prefix: rule.filter?.prefix ?? "" },
    ...(rule.expiration?.days !== undefined ? { Expiration: { Days: rule.expiration.days } } : {}),
    ...(rule.abortIncompleteMultipartUpload?.daysAfterInitiation !== undefined
      ? { AbortIncompleteMultipartUpload: { DaysAfterInitiation: rule.abortIncompleteMultipartUpload.daysAfterInitiation } }
      : {}),
  };
}

function fromAwsLifecycle(rule: LifecycleRule): LifecycleInput {
  const prefix = rule.Filter?.Prefix ?? rule.Prefix;
  return {
    id: rule.ID,
    status: rule.Status,
    // An empty filter and one with an empty prefix mean the same to S3.
    filter: prefix ? { prefix } : {},
    ...(rule.Expiration?.Days !== undefined ? { expiration: { days: rule.Expiration.Days } } : {}),
    ...(rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation !== undefined
      ? { abortIncompleteMultipartUpload: { daysAfterInitiation: rule.AbortIncompleteMultipartUpload.DaysAfterInitiation } }
      : {}),
  };
}

const lifecycle = bucketSetting({
  inputs: [...REGIONAL, "expectedBucketOwner", "rules"],
  replaceOn: [...REGIONAL, "expectedBucketOwner"],
  async put(s3, name, props) {
    const rules = (props.rules as LifecycleInput[] | undefined) ?? [];
    await call(
      s3,
      "S3",
      new PutBucketLifecycleConfigurationCommand({ Bucket: name, LifecycleConfiguration: { Rules: rules.map(toAwsLifecycle) } }),
      `creating S3 Bucket (${name}) Lifecycle Configuration`,
    );
  },
  async get(s3, name) {
    const found = await unlessNotFound(() =>
      call<GetBucketLifecycleConfigurationCommandOutput>(
        s3,
        "S3",
        new GetBucketLifecycleConfigurationCommand({ Bucket: name }),
        `reading S3 Bucket (${name}) Lifecycle Configuration`,
      ),
    );
    return found?.Rules && { rules: found.Rules.map(fromAwsLifecycle) };
  },
  async remove(s3, name) {
    await unlessNotFound(() => call(s3, "S3", new DeleteBucketLifecycleCommand({ Bucket: name }), `deleting S3 Bucket (${name}) Lifecycle Configuration`));
  },
});

export const S3_KINDS: Record<string, ResourceKind> = {
  "aws:s3/bucket:Bucket": bucket,
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": publicAccessBlock,
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": ownershipControls,
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": encryption,
  "aws:s3/bucketPolicy:BucketPolicy": bucketPolicy,
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": lifecycle,
};
