// The CLI ships as an esbuild bundle (scripts/bundleCli.ts). Its inline Pulumi program must still use
// the one @pulumi/pulumi in node_modules: a copy inside the bundle would never receive the engine's
// (here the mocks') resource monitor. The real engine cannot run here; the mocks stand in for it.
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { CLI_BIN } from "./harness.js";

test("the bundled inline program registers the whole component through the @pulumi/pulumi in node_modules", () => {
  const dir = join(CLI_BIN, "..");
  const chunks = readdirSync(dir).filter((file) => /^stack-[A-Z0-9]+\.js$/.test(file));
  expect(chunks).toHaveLength(1);
  const printed = execFileSync(process.execPath, [join(import.meta.dirname, "bundledProgram.mjs"), join(dir, chunks[0]!), "eu-west-1", "0123456789abcdef0123456789abcdef"], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "" },
  });
  const { registered, bucket, region } = JSON.parse(printed) as { registered: string[]; bucket: string; region: string };
  expect(registered).toEqual(
    expect.arrayContaining([
      "census-pinpoint:index:CensusPinpointStaging",
      "aws:s3/bucket:Bucket",
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "aws:s3/bucketPolicy:BucketPolicy",
      "aws:iam/role:Role",
      "aws:iam/user:User",
      "aws:iam/group:Group",
      "aws:iam/accessKey:AccessKey",
    ]),
  );
  expect(registered).toHaveLength(16);
  expect({ bucket, region }).toEqual({ bucket: "census-pinpoint-staging-01234567-123456789012-eu-west-1", region: "eu-west-1" });
});
