import { existsSync } from "node:fs";
import { join } from "node:path";
import { MASKED_SECRET } from "../../../wizard/censusValues.js";
import { UsageError } from "../../../wizard/errors.js";
import { deployStack } from "../../../wizard/pulumi/deployStack.js";
import { readStackValues } from "../../../wizard/pulumi/stackValues.js";
import { FakePulumi } from "../../helpers/fakePulumi.js";
import { INPUTS, STACK, useTempHome } from "./setup.js";

const temp = useTempHome();

describe("readStackValues", () => {
  test("reads an existing stack's values, masking the secret unless asked", async () => {
    const fake = new FakePulumi();
    const deployed = await deployStack({ env: temp.env }, INPUTS, { onProgress: () => {}, pulumiCommand: fake });
    const target = { env: temp.env, region: INPUTS.region, projectId: INPUTS.projectId };

    const masked = await readStackValues(target, { showSecrets: false, pulumiCommand: fake });
    const shown = await readStackValues(target, { showSecrets: true, pulumiCommand: fake });
    expect(masked).toEqual({ ...deployed.values, secretAccessKey: MASKED_SECRET });
    expect(shown).toEqual(deployed.values);
    // Reading never creates a stack nor writes config.
    expect(fake.callsTo("stack init")).toHaveLength(1);
    expect(fake.callsTo("config set")).toHaveLength(1);
  });

  test("masked, the plaintext never leaves the state: Pulumi is not asked for it", async () => {
    const fake = new FakePulumi();
    await deployStack({ env: temp.env }, INPUTS, { onProgress: () => {}, pulumiCommand: fake });
    fake.calls.length = 0;
    await readStackValues({ env: temp.env, ...INPUTS }, { showSecrets: false, pulumiCommand: fake });

    expect(fake.callsTo("stack output").map((call) => call.args)).toEqual([["stack", "output", "--json", "--stack", STACK]]);
    expect(fake.callsTo("stack output")[0]!.env.PULUMI_CONFIG_PASSPHRASE_FILE).toBe(join(temp.home, "passphrase"));
  });

  test("a stack that does not exist is a usage error that points at setup", async () => {
    const fake = new FakePulumi();
    const error = await readStackValues({ env: temp.env, region: "eu-west-1", projectId: INPUTS.projectId }, { showSecrets: false, pulumiCommand: fake }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(`There is no stack eu-west-1-${INPUTS.projectId} in the backend file://${join(temp.home, "state")}.`);
    expect(fake.callsTo("stack init")).toEqual([]);
    // No stack, no reason to invent a passphrase for it.
    expect(existsSync(join(temp.home, "passphrase"))).toBe(false);
  });

  test("a stack without the expected outputs says so instead of returning blanks", async () => {
    const fake = new FakePulumi();
    fake.stacks.set(STACK, { config: {}, history: [] });
    const error = await readStackValues({ env: temp.env, ...INPUTS }, { showSecrets: false, pulumiCommand: fake }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(`Stack ${STACK} has no outputs yet: its first update never completed.`);
    expect((error as UsageError).hint).toContain("census-pinpoint setup --region us-east-1 --project-id");
  });
});
