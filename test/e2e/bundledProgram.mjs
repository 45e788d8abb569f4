/**
 * Runs the built CLI's inline Pulumi program (the bundle's stack chunk) under Pulumi mocks, in a
 * process of its own, and prints what it registered as JSON. The mocks reach the program only if
 * the bundle left @pulumi/pulumi external, as the Automation API needs it to be.
 * Usage: node bundledProgram.mjs <chunk file> <region> <project id>
 */
import * as pulumi from "@pulumi/pulumi";
import { pathToFileURL } from "node:url";

const [chunk, region, projectId] = process.argv.slice(2);
const registered = [];
process.env.PULUMI_CONFIG = JSON.stringify({ "aws:region": region, "census-pinpoint:pinpointProjectId": projectId });
await pulumi.runtime.setMocks(
  {
    newResource: ({ type, name, inputs }) => {
      registered.push(type);
      return { id: `${name}-id`, state: { ...inputs, arn: `arn:aws:mock:::${name}` } };
    },
    call: ({ token, inputs }) =>
      token === "aws:index/getCallerIdentity:getCallerIdentity" ? { accountId: "123456789012", arn: "arn:aws:iam::123456789012:user/admin", userId: "AIDAEXAMPLE" } : inputs,
  },
  "census-pinpoint",
  `${region}-${projectId}`,
  false,
);
const { censusPinpointStack } = await import(pathToFileURL(chunk).href);
const outputs = censusPinpointStack();
const value = (output) => new Promise((resolve) => output.apply(resolve));
const [bucket, region_] = await Promise.all([value(outputs.stagingBucketName), value(outputs.awsRegion)]);
// Resources that wait on other resources' outputs register later: done when the event loop brings no more.
for (let seen = -1; seen !== registered.length; ) {
  seen = registered.length;
  for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
}
console.log(JSON.stringify({ registered, bucket, region: region_ }));
