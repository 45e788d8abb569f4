// `census-pinpoint status --all` with the fake Pulumi CLI, for the stacks it describes without comparing
// them with AWS: an empty backend, a stack whose setup never completed, one that cannot be read, one
// not named by census-pinpoint. Stacks it compares (a refresh preview) run on the real engine in
// test/e2e/status.e2e.test.ts.
import { EXIT } from "../../../wizard/errors.js";
import { FakePulumi } from "../../helpers/fakePulumi.js";
import { STACK, useTempHome } from "../pulumi/setup.js";
import { OTHER_PROJECT_ID, runCli, seedStack } from "./dayTwo.js";

const temp = useTempHome();

test("an empty backend: a line naming setup, exit 0; --json is an empty list", async () => {
  const fake = new FakePulumi();
  const pretty = await runCli(["status", "--all"], { env: temp.env, fake });
  const json = await runCli(["status", "--all", "--json"], { env: temp.env, fake });

  expect({ code: pretty.code, stdout: pretty.stdout }).toEqual({ code: EXIT.ok, stdout: "" });
  expect(pretty.stderr).toContain("No census-pinpoint stacks in this backend yet. Create one with `census-pinpoint setup`.");
  expect(json.code).toBe(EXIT.ok);
  expect(JSON.parse(json.stdout)).toEqual({ ok: true, stacks: [] });
});

test("--all goes on past a stack it cannot read and one never completed, each a finding with what to do; a stack not named by census-pinpoint is left out", async () => {
  const fake = new FakePulumi();
  await seedStack(fake, temp.env);
  const unfinished = `us-east-2-${OTHER_PROJECT_ID}`;
  fake.stacks.set(unfinished, { config: {}, history: [] });
  fake.stacks.set("dev", { config: {}, history: [] });
  fake.failNext(`stack output --json --stack ${STACK}`, { stderr: "error: failed to decrypt: incorrect passphrase" });

  const result = await runCli(["status", "--all", "--json"], { env: temp.env, fake });

  expect(result.code).toBe(EXIT.verification);
  expect(result.stderr).toContain(`✖ 2 findings need attention (stacks ${STACK}, ${unfinished}).`);
  expect(result.stderr).toContain("Stack dev is not named <region>-<projectId>, so census-pinpoint did not make it: not checked.");
  const { ok, stacks } = JSON.parse(result.stdout);
  expect(ok).toBe(false);
  expect(stacks).toEqual([
    expect.objectContaining({
      stackName: STACK,
      state: "unreadable",
      ok: false,
      findings: [expect.objectContaining({ kind: "unreadable", problem: `The passphrase does not unlock the secrets of stack ${STACK}.` })],
    }),
    expect.objectContaining({
      stackName: unfinished,
      state: "never-completed",
      ok: false,
      lastUpdate: null,
      keys: [],
      findings: [
        {
          kind: "incomplete",
          problem: `Stack ${unfinished} has no outputs yet: its first update never completed.`,
          todo: `Finish it with \`census-pinpoint setup --region us-east-2 --project-id ${OTHER_PROJECT_ID}\` (it resumes where it stopped).`,
        },
      ],
    }),
  ]);
});

test("for one stack, a stack that cannot be read fails the command with its own error, as other commands do", async () => {
  const fake = new FakePulumi();
  await seedStack(fake, temp.env);
  fake.failNext(`stack output --json --stack ${STACK}`, { stderr: "error: failed to decrypt: incorrect passphrase" });

  const result = await runCli(["status", "--stack", STACK], { env: temp.env, fake });

  expect(result.code).toBe(EXIT.usage);
  expect(result.stdout).toBe("");
  expect(result.stderr).toContain(`\n✖ The passphrase does not unlock the secrets of stack ${STACK}.\n`);
});
