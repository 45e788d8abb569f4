/**
 * The resource types whose provider ID census-pinpoint can compute from their inputs (a bucket or IAM
 * name, a policy ARN). Apart from the lookups that use them, so that naming a type loads no AWS SDK.
 */
export const NAMED_TYPES = {
  bucket: "aws:s3/bucket:Bucket",
  role: "aws:iam/role:Role",
  user: "aws:iam/user:User",
  group: "aws:iam/group:Group",
  policy: "aws:iam/policy:Policy",
} as const;

export type NamedType = (typeof NAMED_TYPES)[keyof typeof NAMED_TYPES];
