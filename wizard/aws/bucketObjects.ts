/**
 * Objects of one bucket, written, read, listed and deleted through one client: verify's probe file,
 * what Census does with the staging bucket. Each call throws the CLI's AWS errors (classifyAwsError
 * tells what S3 said); `retry` runs each request, again as the caller sees fit.
 */
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { AwsTarget } from "./target.js";
import { awsFailureToCliError } from "./awsErrors.js";
import { awsClientConfig } from "./clients.js";
import { once, type Retry } from "./retry.js";

export interface BucketObjects {
  put(key: string, body: string, contentType: string): Promise<void>;
  /** The object's content as text. */
  read(key: string): Promise<string>;
  /** The keys that start with `prefix`, up to one page (1,000). */
  keys(prefix: string): Promise<string[]>;
  /** Succeeds for a key that does not exist too. */
  remove(key: string): Promise<void>;
  close(): void;
}

export function bucketObjects(target: AwsTarget, bucketName: string, retry: Retry = once): BucketObjects {
  const client = new S3Client(awsClientConfig(target, "S3"));
  const Bucket = bucketName;
  const call = async <T>(operation: string, permission: string, request: () => Promise<T>): Promise<T> => {
    try {
      return await retry(request);
    } catch (error) {
      throw awsFailureToCliError(error, { target, service: "S3", operation, permission });
    }
  };
  return {
    put: async (Key, Body, ContentType) => {
      await call("PutObject", "s3:PutObject", () => client.send(new PutObjectCommand({ Bucket, Key, Body, ContentType })));
    },
    read: async (Key) => {
      const { Body } = await call("GetObject", "s3:GetObject", () => client.send(new GetObjectCommand({ Bucket, Key })));
      return (await Body?.transformToString()) ?? "";
    },
    keys: async (Prefix) => {
      const { Contents } = await call("ListObjectsV2", "s3:ListBucket", () => client.send(new ListObjectsV2Command({ Bucket, Prefix })));
      return (Contents ?? []).flatMap((object) => (object.Key === undefined ? [] : [object.Key]));
    },
    remove: async (Key) => {
      await call("DeleteObject", "s3:DeleteObject", () => client.send(new DeleteObjectCommand({ Bucket, Key })));
    },
    close: () => client.destroy(),
  };
}
