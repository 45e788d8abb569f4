// After a real-process setup (the built CLI, the real Pulumi CLI and the test provider deploying into moto), the new
// secret key is in no file under CENSUS_PINPOINT_HOME but the stack's state file, where Pulumi keeps
// it encrypted: state/.pulumi/stacks/census-pinpoint/<stack>.json. Command by command, in-process,
// the same is checked in test/security/secrets.test.ts.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { filesUnder } from "../helpers/files.js";
import { DUMMY_CREDENTIALS } from "../helpers/moto.js";
import { runPiped, useE2e } from "./harness.js";

const REGION = "us-east-1";

const e2e = useE2e();

test("setup --verbose: the secret key reaches stdout alone, and no file under CENSUS_PINPOINT_HOME but the stack's state", async () => {
  await e2e.reset();
  const projectId = await e2e.createPinpointProject(REGION, "Marketing");
  const stack = `${REGION}-${projectId}`;
  const { stdout, stderr, code } = await runPiped(["setup", "--no-input", "--yes", "--json", "--verbose", "--region", REGION, "--project-id", projectId], e2e.env(), {
    timeoutMs: 60_000,
  });
  expect({ code, stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  const secret: string = JSON.parse(stdout).secretAccessKey;
  expect(secret).toHaveLength(40);

  const stateFile = join(e2e.home, "state", ".pulumi", "stacks", "census-pinpoint", `${stack}.json`);
  expect(existsSync(stateFile)).toBe(true);
  const holding = filesUnder(e2e.home)
    .filter((file) => file !== stateFile)
    .filter((file) => {
      const text = readFileSync(file, "latin1");
      return text.includes(secret) || text.includes(DUMMY_CREDENTIALS.secretAccessKey);
    });
  expect(holding.map((file) => relative(e2e.home, file))).toEqual([]);
  expect(stderr).not.toContain(secret);
  expect(stderr).not.toContain(DUMMY_CREDENTIALS.secretAccessKey);
  expect(statSync(join(e2e.home, "passphrase")).mode & 0o777).toBe(0o600);
}, 90_000);
