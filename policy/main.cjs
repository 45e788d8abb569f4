// Entry point of the policy pack (package.json `main`). Pulumi's Node.js policy runner
// (@pulumi/pulumi/cmd/run-policy-pack) loads the pack with require() and registers ts-node for `.ts`
// files whatever PulumiPolicy.yaml says, and ts-node cannot run this repo's native-ESM TypeScript
// (`.js` specifiers resolving to `.ts`). tsx's scoped import runs index.ts the way the program runs;
// the runner awaits the promise exported here, so a failure to load fails the pack.
// tsx's ESM API, not its require() one: the CommonJS build of tsImport (tsx 4.23) cannot find its own
// loader on Node 20.
module.exports = import("tsx/esm/api").then(({ tsImport }) => tsImport("./index.ts", __filename));
