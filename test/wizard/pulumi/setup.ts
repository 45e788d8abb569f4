/** Shared by the driver's suites: a throw-away CENSUS_PINPOINT_HOME per test, inputs, a progress recorder. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ProgressEvent } from "../../../wizard/progress.js";
import type { SetupInputs } from "../../../wizard/setup/inputs.js";
import { TEST_PROJECT_ID } from "../../helpers/pulumiMocks.js";

export const INPUTS: SetupInputs = { region: "us-east-1", projectId: TEST_PROJECT_ID, expirationDays: 7 };
export const STACK = `us-east-1-${TEST_PROJECT_ID}`;

/**
 * Each test gets a fresh home, set both in the env it hands the driver and in process.env, so nothing
 * can reach the real ~/.census-pinpoint.
 */
export function useTempHome(): { home: string; env: NodeJS.ProcessEnv } {
  const current = { home: "", env: {} as NodeJS.ProcessEnv };
  let saved: string | undefined;
  beforeEach(() => {
    current.home = mkdtempSync(join(tmpdir(), "census-pinpoint-test-"));
    current.env = { CENSUS_PINPOINT_HOME: current.home };
    saved = process.env.CENSUS_PINPOINT_HOME;
    process.env.CENSUS_PINPOINT_HOME = current.home;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.CENSUS_PINPOINT_HOME;
    else process.env.CENSUS_PINPOINT_HOME = saved;
    rmSync(current.home, { recursive: true, force: true });
  });
  return current;
}

export function progressRecorder(): { events: ProgressEvent[]; onProgress: (event: ProgressEvent) => void } {
  const events: ProgressEvent[] = [];
  return { events, onProgress: (event) => events.push(event) };
}
