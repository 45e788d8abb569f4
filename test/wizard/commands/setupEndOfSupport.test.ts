// setup (and adopt, through the same provisioning) when Amazon Pinpoint does not confirm the project:
// since its end of support, or for want of mobiletargeting:GetApp, or with no clear answer. Nothing may
// be created then (no `pulumi up`, no stack) unless the user accepts: --accept-end-of-support, or yes
// to the question in a terminal. STS, S3 and IAM answer from moto_server; Pinpoint from a local stub
// that words its refusals as AWS does (moto cannot refuse GetApp); Pulumi is the fake CLI.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXIT } from "../../../wizard/errors.js";
import { lastErrorLine, runCli, type CliRunOptions } from "../../helpers/cliIo.js";
import { FakePulumi } from "../../helpers/fakePulumi.js";
import { DUMMY_CREDENTIALS, useMoto } from "../../helpers/moto.js";
import { usePinpointStub } from "../../helpers/pinpointStub.js";
import { TEST_PROJECT_ID } from "../../helpers/pulumiMocks.js";

const REGION = "us-east-1";
useMoto();
const pinpoint = usePinpointStub();
let home: string;

beforeAll(() => {
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey,
    // Pinpoint alone goes to the stub; the SDK honours the service's own variable over AWS_ENDPOINT_URL.
    AWS_ENDPOINT_URL_PINPOINT: pinpoint.url,
  });
});

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "census-pinpoint-end-of-support-"));
});

afterEach(() => rmSync(home, { recursive: true, force: true }));

function run(argv: string[], options: Omit<CliRunOptions, "home"> = {}) {
  return runCli(argv, { home, ...options });
}

const setup = (...extra: string[]) => ["setup", "--region", REGION, "--project-id", TEST_PROJECT_ID, "--skip-verify", ...extra];

/** Nothing was written: no update, no stack, no config. */
function expectNothingCreated(fake: FakePulumi): void {
  expect(fake.callsTo("up")).toEqual([]);
  expect(fake.callsTo("stack init")).toEqual([]);
  expect(fake.callsTo("config")).toEqual([]);
}

describe("without a terminal", () => {
  test("a project refused for the end of support: exit 5 before anything is created, naming the flag", async () => {
    pinpoint.fallback = { kind: "end-of-support" };
    const fake = new FakePulumi();
    const result = run(setup("--no-input", "--yes"), { fake });

    expect(await result.code).toBe(EXIT.verification);
    expect(lastErrorLine(result.stderr())).toBe(
      "Amazon Pinpoint refused project 0123456789abcdef0123456789abcdef in us-east-1: Pinpoint's engagement features, segment imports included, ended on 30 October 2026, so no long-lived access key is created for an import that cannot run.",
    );
    expect(result.stderr()).toContain("Amazon Pinpoint engagement features are no longer supported");
    expect(result.stderr()).toContain("Nothing was created. If your account can still run Pinpoint segment imports, run again with --accept-end-of-support.");
    expect(result.stdout()).toBe("");
    expectNothingCreated(fake);
  });

  test("with --accept-end-of-support it goes on, and a warning says the refusal was accepted", async () => {
    pinpoint.fallback = { kind: "end-of-support" };
    const fake = new FakePulumi();
    const result = run(setup("--no-input", "--yes", "--json", "--accept-end-of-support"), { fake });

    expect(await result.code).toBe(EXIT.ok);
    const warning =
      "Amazon Pinpoint did not confirm project 0123456789abcdef0123456789abcdef in us-east-1 (Amazon Pinpoint refused GetApp, apparently because AWS ended support for Amazon Pinpoint's engagement features on 30 October 2026 (Amazon Pinpoint engagement features are no longer supported)); going on, as --accept-end-of-support accepts.";
    expect(result.stderr()).toContain(`⚠ ${warning}`);
    expect(JSON.parse(result.stdout())).toMatchObject({ pinpointProjectId: TEST_PROJECT_ID, warnings: [warning] });
    expect(fake.callsTo("up")).toHaveLength(1);
  });

  test("a refused update names the command that resumes it, with the acceptance", async () => {
    pinpoint.fallback = { kind: "end-of-support" };
    const fake = new FakePulumi();
    fake.failNext("up", { stderr: "error: update failed" });
    const result = run(setup("--no-input", "--yes", "--accept-end-of-support"), { fake });

    expect(await result.code).toBe(EXIT.pulumi);
    expect(result.stderr()).toContain(`census-pinpoint setup --region ${REGION} --project-id ${TEST_PROJECT_ID} --accept-end-of-support --yes`);
  });

  test("credentials that may not read the project: exit 5, naming mobiletargeting:GetApp", async () => {
    pinpoint.fallback = { kind: "access-denied" };
    const fake = new FakePulumi();
    const result = run(setup("--no-input", "--yes"), { fake });

    expect(await result.code).toBe(EXIT.verification);
    expect(lastErrorLine(result.stderr())).toBe(
      "Could not confirm Amazon Pinpoint project 0123456789abcdef0123456789abcdef in us-east-1: these credentials may not read it (mobiletargeting:GetApp), so no long-lived access key is created for a project that may be gone or no longer served.",
    );
    expect(result.stderr()).toContain("Access denied: arn:aws:iam::123456789012:user/ann may not perform mobiletargeting:GetApp");
    expect(result.stderr()).toContain(`Allow mobiletargeting:GetApp on arn:aws:mobiletargeting:us-east-1:123456789012:apps/${TEST_PROJECT_ID}`);
    expect(result.stderr()).toContain("--accept-end-of-support");
    expectNothingCreated(fake);
  });

  test("Pinpoint failing without a clear answer: exit 5, with what it said", async () => {
    pinpoint.fallback = { kind: "server-error" };
    process.env.AWS_MAX_ATTEMPTS = "1";
    const fake = new FakePulumi();
    const result = run(setup("--no-input", "--yes"), { fake });
    const code = await result.code.finally(() => delete process.env.AWS_MAX_ATTEMPTS);

    expect(code).toBe(EXIT.verification);
    expect(lastErrorLine(result.stderr())).toBe(
      "Could not confirm Amazon Pinpoint project 0123456789abcdef0123456789abcdef in us-east-1, so no long-lived access key is created: Amazon Pinpoint GetApp failed: Internal server error (InternalServerErrorException, HTTP 500); AWS ended support for Amazon Pinpoint's engagement features on 30 October 2026, which may be the cause.",
    );
    expectNothingCreated(fake);
  });

  test("a project that does not exist is still bad usage (exit 2): usually a mistyped ID", async () => {
    pinpoint.fallback = { kind: "not-found" };
    const fake = new FakePulumi();
    const result = run(setup("--no-input", "--yes", "--accept-end-of-support"), { fake });

    expect(await result.code).toBe(EXIT.usage);
    expect(lastErrorLine(result.stderr())).toBe(`There is no Amazon Pinpoint project ${TEST_PROJECT_ID} in us-east-1 for account 123456789012.`);
    expectNothingCreated(fake);
  });

  test("adopt goes through the same check: exit 5 before the bucket is even looked at", async () => {
    pinpoint.fallback = { kind: "end-of-support" };
    const fake = new FakePulumi();
    const result = run(["adopt", "--region", REGION, "--project-id", TEST_PROJECT_ID, "--existing-bucket", "acme-census-staging", "--no-input", "--yes"], { fake });

    expect(await result.code).toBe(EXIT.verification);
    expect(lastErrorLine(result.stderr())).toMatch(/^Amazon Pinpoint refused project 0123456789abcdef0123456789abcdef in us-east-1: /);
    expectNothingCreated(fake);
  });
});

describe("in a terminal", () => {
  test("without the flag the question is asked; no (the default) creates nothing, exit 5", async () => {
    pinpoint.fallback = { kind: "end-of-support" };
    const fake = new FakePulumi();
    const result = run(setup(), { fake, terminal: true, script: { wantsToCustomize: [false], acceptUnconfirmedProject: [false] } });

    expect(await result.code).toBe(EXIT.verification);
    expect(result.questions()).toEqual(["wantsToCustomize", "acceptUnconfirmedProject"]);
    const question = result.asked.find(({ question }) => question === "acceptUnconfirmedProject")!.args[0] as string;
    expect(question).toContain("Amazon Pinpoint refused project 0123456789abcdef0123456789abcdef in us-east-1");
    expect(question).toContain("Amazon Pinpoint refused GetApp, apparently because AWS ended support");
    // In a terminal the spinner's line is cleared in place, so the error follows on that line.
    expect(result.stderr()).toContain("✖ Declined: nothing was created, as Amazon Pinpoint did not confirm project 0123456789abcdef0123456789abcdef in us-east-1.\n");
    expectNothingCreated(fake);
  });

  test("yes goes on to the usual confirmation, and the acceptance is recorded as a warning", async () => {
    pinpoint.fallback = { kind: "end-of-support" };
    const fake = new FakePulumi();
    const result = run(setup(), { fake, terminal: true, script: { wantsToCustomize: [false], acceptUnconfirmedProject: [true], confirmSetup: [true] } });

    expect(await result.code).toBe(EXIT.ok);
    expect(result.questions()).toEqual(["wantsToCustomize", "acceptUnconfirmedProject", "confirmSetup"]);
    expect(result.stderr()).toContain("going on, as you accepted.");
    expect(fake.callsTo("up")).toHaveLength(1);
  });

  test("with --yes the question is still asked: --yes confirms the plan, not a project Pinpoint refused", async () => {
    pinpoint.fallback = { kind: "access-denied" };
    const fake = new FakePulumi();
    const result = run(setup("--yes"), { fake, terminal: true, script: { wantsToCustomize: [false], acceptUnconfirmedProject: [false] } });

    expect(await result.code).toBe(EXIT.verification);
    expect(result.questions()).toEqual(["wantsToCustomize", "acceptUnconfirmedProject"]);
    expectNothingCreated(fake);
  });

  test("with --accept-end-of-support nothing is asked about the project", async () => {
    pinpoint.fallback = { kind: "end-of-support" };
    const fake = new FakePulumi();
    const result = run(setup("--accept-end-of-support"), { fake, terminal: true, script: { wantsToCustomize: [false], confirmSetup: [true] } });

    expect(await result.code).toBe(EXIT.ok);
    expect(result.questions()).toEqual(["wantsToCustomize", "confirmSetup"]);
    expect(result.stderr()).toContain("going on, as --accept-end-of-support accepts.");
  });

  test("an ID typed after the project list was refused gets the same question: the picker is no way around it", async () => {
    pinpoint.listing = "end-of-support";
    pinpoint.fallback = { kind: "end-of-support" };
    const fake = new FakePulumi();
    const result = run(["setup", "--skip-verify"], {
      fake,
      terminal: true,
      script: { chooseRegion: [REGION], enterProjectId: [TEST_PROJECT_ID], wantsToCustomize: [false], acceptUnconfirmedProject: [false] },
    });

    expect(await result.code).toBe(EXIT.verification);
    expect(result.stderr()).toContain(`Could not list the Pinpoint projects in ${REGION} (Amazon Pinpoint refused GetApps, apparently because`);
    expect(result.questions()).toEqual(["chooseRegion", "enterProjectId", "wantsToCustomize", "acceptUnconfirmedProject"]);
    expectNothingCreated(fake);
  });

  test("a project picked from the list that Pinpoint then refuses gets the question too", async () => {
    pinpoint.answers.set(TEST_PROJECT_ID, { kind: "found", name: "Marketing" });
    const fake = new FakePulumi();
    // Listed a moment ago, refused now: what a project looks like on the day support ends. The switch
    // waits for the list to be on screen: made when the listing request merely arrived, it could land
    // before the stub answers it, and the project would not be listed at all.
    let questions: () => string[] = () => [];
    const refuseOnceListed = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (questions().includes("chooseProject")) {
          clearInterval(poll);
          pinpoint.answers.set(TEST_PROJECT_ID, { kind: "end-of-support" });
          resolve();
        }
      }, 5);
    });
    const result = run(["setup", "--skip-verify"], {
      fake,
      terminal: true,
      script: { chooseRegion: [REGION], chooseProject: [refuseOnceListed.then(() => TEST_PROJECT_ID)], wantsToCustomize: [false], acceptUnconfirmedProject: [false] },
    });
    questions = result.questions;

    expect(await result.code).toBe(EXIT.verification);
    expect(result.questions()).toEqual(["chooseRegion", "chooseProject", "wantsToCustomize", "acceptUnconfirmedProject"]);
    expectNothingCreated(fake);
  });
});
