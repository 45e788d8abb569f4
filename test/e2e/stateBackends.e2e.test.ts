// Where the state lives and what unlocks its secrets, on the real engine: an S3 backend (a bucket in
// moto, as a team would share one), and the passphrase of the default backend, wrong or missing.
import { CreateBucketCommand, HeadBucketCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { runPiped, useE2e } from "./harness.js";

const REGION = "us-east-2";
const e2e = useE2e();

function cli(args: string[], extra: Record<string, string | undefined> = {}) {
  return runPiped(args, e2e.env({ extra }), { timeoutMs: 60_000 });
}

beforeEach(() => e2e.reset());

test("an S3 backend: setup, list, credentials and teardown keep the state in the bucket, nothing under CENSUS_PINPOINT_HOME/state", async () => {
  const projectId = await e2e.createPinpointProject(REGION, "Team");
  const { s3 } = e2e.aws("us-east-1");
  await s3.send(new CreateBucketCommand({ Bucket: "team-pulumi-state" }));
  const backend = ["--backend-url", `s3://team-pulumi-state?endpoint=${e2e.moto.endpoint}&s3ForcePathStyle=true&region=us-east-1`];
  const stack = ["--region", REGION, "--project-id", projectId, ...backend];
  const passphrase = { PULUMI_CONFIG_PASSPHRASE: "team passphrase" };

  const setup = await cli(["setup", "--no-input", "--yes", "--json", "--skip-verify", ...stack], passphrase);
  expect({ code: setup.code, stderr: setup.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  const values = JSON.parse(setup.stdout) as { secretAccessKey: string; stagingBucketName: string };
  const stateFiles = (await s3.send(new ListObjectsV2Command({ Bucket: "team-pulumi-state", Prefix: ".pulumi/stacks/census-pinpoint/" }))).Contents ?? [];
  expect(stateFiles.map((object) => object.Key)).toContain(`.pulumi/stacks/census-pinpoint/${REGION}-${projectId}.json`);
  expect(existsSync(join(e2e.home, "state", ".pulumi"))).toBe(false);

  const list = await cli(["list", "--json", ...backend], passphrase);
  expect(list.code).toBe(0);
  expect(JSON.parse(list.stdout)).toMatchObject({ stacks: [expect.objectContaining({ region: REGION, projectId })] });

  const credentials = await cli(["credentials", "--show-secret", "--json", ...stack], passphrase);
  expect(credentials.code).toBe(0);
  expect(JSON.parse(credentials.stdout)).toMatchObject({ secretAccessKey: values.secretAccessKey });

  const teardown = await cli(["teardown", "--yes", ...stack], passphrase);
  expect({ code: teardown.code, stderr: teardown.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  await expect(e2e.aws(REGION).s3.send(new HeadBucketCommand({ Bucket: values.stagingBucketName }))).rejects.toMatchObject({ name: "NotFound" });
  expect(JSON.parse((await cli(["list", "--json", ...backend], passphrase)).stdout)).toMatchObject({ stacks: [] });
}, 180_000);

test("the stack's passphrase: a wrong one and a missing one are each named, exit 2, nothing is shown or changed, and no new passphrase is made", async () => {
  const projectId = await e2e.createPinpointProject(REGION, "Secrets");
  const stack = ["--region", REGION, "--project-id", projectId];
  const setup = await cli(["setup", "--no-input", "--yes", "--json", "--skip-verify", ...stack], { PULUMI_CONFIG_PASSPHRASE: "right" });
  expect(setup.code).toBe(0);
  const { secretAccessKey } = JSON.parse(setup.stdout) as { secretAccessKey: string };

  const wrong = await cli(["credentials", "--show-secret", ...stack], { PULUMI_CONFIG_PASSPHRASE: "wrong" });
  expect({ code: wrong.code, stdout: wrong.stdout }).toEqual({ code: 2, stdout: "" });
  expect(wrong.stderr).toContain(`The passphrase does not unlock the secrets of stack ${REGION}-${projectId}.`);
  expect(wrong.stderr).toContain("This run used PULUMI_CONFIG_PASSPHRASE.");

  // No passphrase anywhere: the stack exists, so no new one is generated (it could not read the secrets).
  const missing = await cli(["setup", "--no-input", "--yes", "--skip-verify", ...stack]);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain(
    "No passphrase for the secrets of stack <stack>: PULUMI_CONFIG_PASSPHRASE and PULUMI_CONFIG_PASSPHRASE_FILE are not set, and <home>/passphrase does not exist."
      .replace("<stack>", `${REGION}-${projectId}`)
      .replace("<home>", e2e.home),
  );
  expect(missing.stderr).toContain("restore");
  expect(existsSync(join(e2e.home, "passphrase"))).toBe(false);
  expect(`${wrong.stderr}${missing.stderr}`).not.toContain(secretAccessKey);

  const right = await cli(["credentials", "--show-secret", "--json", ...stack], { PULUMI_CONFIG_PASSPHRASE: "right" });
  expect(JSON.parse(right.stdout)).toMatchObject({ secretAccessKey });
}, 120_000);
