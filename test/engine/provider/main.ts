// The plugin's entry: the engine starts it and reads the port it prints (see provider.ts).
import { createRequire } from "node:module";
import { main } from "@pulumi/pulumi/provider/index.js";
import { testAwsProvider } from "./provider.js";

const require = createRequire(import.meta.url);
// The version @pulumi/aws asks the engine for, which is also the plugin folder's name.
const { version } = require("@pulumi/aws/package.json") as { version: string };

/**
 * The provider SDK's server (@pulumi/pulumi 3.248) reads `properties` from every ReadRequest, but an
 * import (Pulumi's `import` option) sends none, and it fails with "Cannot read properties of
 * undefined". The real provider imports fine, so the gap is filled here: an import reads with empty
 * properties. Patched on the gRPC module instance the SDK itself loads.
 */
function acceptImportReads(): void {
  const fromSdk = createRequire(require.resolve("@pulumi/pulumi/package.json"));
  const grpc = fromSdk("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
  const { Struct } = fromSdk("google-protobuf/google/protobuf/struct_pb.js") as { Struct: new () => unknown };
  type ReadCall = { request: { getProperties(): unknown; setProperties(value: unknown): void } };
  const addService = grpc.Server.prototype.addService;
  grpc.Server.prototype.addService = function (service, implementation) {
    const read = implementation.read as ((call: ReadCall, callback: unknown) => unknown) | undefined;
    if (read) {
      implementation.read = (call: ReadCall, callback: unknown) => {
        if (!call.request.getProperties()) call.request.setProperties(new Struct());
        return read.call(implementation, call, callback);
      };
    }
    return addService.call(this, service, implementation);
  };
}

/**
 * A plugin outlives an engine that was killed outright (as the tests kill runs on purpose), and would
 * keep a provider per killed run alive for as long as the machine runs: leave with the engine.
 */
function exitWithTheEngine(): void {
  const engine = process.ppid;
  setInterval(() => {
    if (process.ppid !== engine) process.exit(0);
  }, 1000).unref();
}

acceptImportReads();
exitWithTheEngine();
await main(testAwsProvider(version, process.env), process.argv.slice(2));
