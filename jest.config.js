// Sources are native ESM (NodeNext, `.js` specifiers); ts-jest transpiles each file on its own
// (tsconfig `isolatedModules`) and type checking happens once in `npm run typecheck`.
export default {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  extensionsToTreatAsEsm: [".ts"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: { "^.+\\.ts$": ["ts-jest", { useESM: true }] },
  // The real Pulumi CLI, the test provider and moto (npm run engine:env) for every test file.
  globalSetup: "<rootDir>/test/globalSetup.ts",
  testTimeout: 30000,
  // Jest's default on a 2-core machine is one worker; the end-to-end files spend most of their time
  // waiting on the engine, its plugins and moto, so two at a time take about 8 minutes instead of 14.
  maxWorkers: 2,
};
