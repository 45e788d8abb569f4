// `census-pinpoint doctor` through the built CLI with the real Pulumi CLI against moto: before any
// setup (fast, and nothing is made), without a Pulumi CLI on PATH, and after a real setup, where the
// stack's passphrase is proven against the encryption salt the real engine wrote.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { DoctorReport } from "../../wizard/doctor/report.js";
import { runPiped, useE2e } from "./harness.js";

const REGION = "us-east-1";
const e2e = useE2e();

function report(stdout: string): DoctorReport {
  return JSON.parse(stdout) as DoctorReport;
}

function check(stdout: string, id: string) {
  return report(stdout).checks.find((candidate) => candidate.id === id);
}

test("before any setup: the real Pulumi CLI and moto's identity are ok, it takes seconds, and nothing is made", async () => {
  await e2e.reset();
  const started = Date.now();
  const { code, stdout, stderr } = await runPiped(["doctor", "--region", REGION, "--json"], e2e.env());
  const elapsed = Date.now() - started;
  expect({ code, stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  expect(check(stdout, "pulumi-cli")).toMatchObject({ status: "ok", detail: expect.stringMatching(/^version 3\.\d+\.\d+/) });
  expect(check(stdout, "aws-credentials")!.status).toBe("ok");
  expect(check(stdout, "backend")).toMatchObject({ status: "ok", detail: expect.stringContaining("not made yet; setup creates it") });
  expect(existsSync(e2e.home)).toBe(false);
  // The budget: a few seconds without stacks (moto's missing simulator costs the SDK's retries).
  expect(elapsed).toBeLessThan(10_000);
}, 30_000);

test("no Pulumi CLI on PATH: exit 5, the CLI to fix and the stacks not checked", async () => {
  await e2e.reset();
  const { code, stdout } = await runPiped(["doctor", "--region", REGION, "--json"], e2e.env({ pulumi: false }));
  expect(code).toBe(5);
  expect(check(stdout, "pulumi-cli")).toMatchObject({ status: "fail", detail: "not found on PATH" });
  expect(check(stdout, "stack-secrets")!.status).toBe("unchecked");
}, 30_000);

test("after a real setup: the generated passphrase opens the stack's secrets; another passphrase does not (exit 5)", async () => {
  await e2e.reset();
  const projectId = await e2e.createPinpointProject(REGION, "Marketing");
  const stack = `${REGION}-${projectId}`;
  const setup = await runPiped(["setup", "--no-input", "--yes", "--skip-verify", "--region", REGION, "--project-id", projectId], e2e.env(), { timeoutMs: 90_000 });
  expect(setup.code).toBe(0);

  const good = await runPiped(["doctor", "--region", REGION, "--json"], e2e.env());
  expect(good.code).toBe(0);
  expect(check(good.stdout, "stack-secrets")).toMatchObject({
    status: "ok",
    stack,
    detail: `a passphrase, from the passphrase file ${join(e2e.home, "passphrase")}: it opens them`,
  });

  const wrong = await runPiped(["doctor", "--region", REGION], e2e.env({ extra: { PULUMI_CONFIG_PASSPHRASE: "not-the-passphrase" } }));
  expect(wrong.code).toBe(5);
  expect(wrong.stdout.replace(/\n {2,}/g, " ")).toContain(`✘ Secrets of stack ${stack}: the passphrase from PULUMI_CONFIG_PASSPHRASE does not open them`);
}, 150_000);
