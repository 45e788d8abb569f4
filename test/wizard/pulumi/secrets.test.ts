/** The Census secret key reaches the caller as a value, and nowhere else: not progress, not errors. */
import type { CliError } from "../../../wizard/errors.js";
import type { ProgressEvent } from "../../../wizard/progress.js";
import { deployStack } from "../../../wizard/pulumi/deployStack.js";
import { readStackValues } from "../../../wizard/pulumi/stackValues.js";
import { FakePulumi, failedResourceEvents } from "../../helpers/fakePulumi.js";
import { TEST_SECRET_KEY } from "../../helpers/pulumiMocks.js";
import { INPUTS, STACK, useTempHome } from "./setup.js";

const temp = useTempHome();

test("the secret from `stack output --show-secrets` appears in no progress event and no error", async () => {
  const fake = new FakePulumi();
  const events: ProgressEvent[] = [];
  const errors: CliError[] = [];
  const onProgress = (event: ProgressEvent) => events.push(event);
  const collect = (error: unknown) => void errors.push(error as CliError);
  const target = { env: temp.env, region: INPUTS.region, projectId: INPUTS.projectId };

  const { values } = await deployStack(target, INPUTS, { onProgress, pulumiCommand: fake, verbose: true });
  expect(values.secretAccessKey).toBe(TEST_SECRET_KEY);
  // The fake really served it, so a leak would have had something to leak.
  expect(fake.callsTo("stack output --json --show-secrets")).toHaveLength(1);

  await deployStack(target, { ...INPUTS, expirationDays: 3 }, { onProgress, pulumiCommand: fake, verbose: true });
  fake.failNext("up", { stderr: "error: update failed", stdout: "Outputs:\n    secretAccessKey: [secret]\n", events: failedResourceEvents(STACK, "update", "aws:s3/bucket:Bucket", "staging-bucket", "error: AccessDenied") });
  await deployStack(target, { ...INPUTS, expirationDays: 4 }, { onProgress, pulumiCommand: fake, verbose: true }).catch(collect);
  fake.failNext("stack history", { stderr: "error: could not read history" });
  await deployStack(target, INPUTS, { onProgress, pulumiCommand: fake, verbose: true }).catch(collect);
  expect((await readStackValues(target, { showSecrets: false, pulumiCommand: fake })).secretAccessKey).not.toBe(TEST_SECRET_KEY);

  expect(errors).toHaveLength(2);
  expect(events.some((event) => event.kind === "engine-output")).toBe(true);
  const seen = JSON.stringify(events) + errors.map((error) => `${error.message}\n${error.hint ?? ""}`).join("\n");
  expect(seen).not.toContain(TEST_SECRET_KEY);
});
