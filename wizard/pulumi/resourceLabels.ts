/** Resources as a person knows them: "S3 bucket census-pinpoint-staging-…", not a Pulumi type token. */

interface Label {
  /** What it is. */
  what: string;
  /** The input holding the AWS name it is known by (for settings: the bucket, role, group or user it belongs to). */
  nameInput: string;
}

const LABELS: Record<string, Label> = {
  "aws:s3/bucket:Bucket": { what: "S3 bucket", nameInput: "bucket" },
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": { what: "public access block of bucket", nameInput: "bucket" },
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": { what: "object ownership of bucket", nameInput: "bucket" },
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": { what: "default encryption of bucket", nameInput: "bucket" },
  "aws:s3/bucketPolicy:BucketPolicy": { what: "TLS-only policy of bucket", nameInput: "bucket" },
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": { what: "lifecycle rule of bucket", nameInput: "bucket" },
  "aws:iam/role:Role": { what: "IAM role", nameInput: "name" },
  "aws:iam/policy:Policy": { what: "IAM policy", nameInput: "name" },
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": { what: "policy attachment of role", nameInput: "role" },
  "aws:iam/user:User": { what: "IAM user", nameInput: "name" },
  "aws:iam/group:Group": { what: "IAM group", nameInput: "name" },
  "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": { what: "policy attachment of group", nameInput: "group" },
  "aws:iam/userGroupMembership:UserGroupMembership": { what: "group membership of user", nameInput: "user" },
  "aws:iam/accessKey:AccessKey": { what: "access key", nameInput: "user" },
};

/** What the engine knows of a resource; `logicalName`, the program's name for it, stands in when AWS's is not known. */
interface KnownResource {
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  id?: string;
  logicalName?: string;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * One resource in words, from what the engine knows of it: the program's inputs when it is being
 * created or changed, the state's outputs (and ID) when it exists. An access key reads "access key
 * AKIA… of user census-…" ("a new access key of user …" before it exists).
 */
export function describeResource(type: string, known: KnownResource): string {
  const label = LABELS[type];
  if (!label) return type;
  const name = text(known.inputs?.[label.nameInput]) ?? text(known.outputs?.[label.nameInput]) ?? known.logicalName ?? "?";
  if (type === "aws:iam/accessKey:AccessKey") return known.id ? `access key ${known.id} of user ${name}` : `a new access key of user ${name}`;
  return `${label.what} ${name}`;
}
