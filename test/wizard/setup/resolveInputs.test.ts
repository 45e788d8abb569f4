// Whole input flows with a scripted Prompter: which questions are asked, in what order, and what
// `setup` ends up with. What each question looks like is promptFlows.test.ts's business.
import { exitCodeFor, InterruptedError, UsageError } from "../../../wizard/errors.js";
import { resolveSetupInputs, type ProjectListing, type ResolveSetupInputsOptions } from "../../../wizard/setup/resolveInputs.js";
import type { ProgressEvent } from "../../../wizard/progress.js";
import { scriptedPrompter, type Script } from "../../helpers/scriptedPrompter.js";

const ACCOUNT_ID = "123456789012";
const PROJECT_ID = "0123456789abcdef0123456789abcdef";
const OTHER_PROJECT_ID = "fedcba9876543210fedcba9876543210";

const listed = (...projects: Array<{ id: string; name: string }>) => async (): Promise<ProjectListing> => ({ ok: true, projects });

function run(overrides: Partial<ResolveSetupInputsOptions> & { script?: Script } = {}) {
  const { script = {}, ...options } = overrides;
  const scripted = scriptedPrompter(script);
  const events: ProgressEvent[] = [];
  const listedRegions: string[] = [];
  const listProjects = options.listProjects ?? listed({ id: PROJECT_ID, name: "Marketing" });
  const result = resolveSetupInputs({
    flags: {},
    env: {},
    interactive: true,
    accountId: async () => ACCOUNT_ID,
    onProgress: (event) => events.push(event),
    prompter: scripted.prompter,
    ...options,
    listProjects: (region) => {
      listedRegions.push(region);
      return listProjects(region);
    },
  });
  return { result, events, listedRegions, ...scripted };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => error,
  );
}

describe("interactive", () => {
  test("happy path: region, then a project from the list, no customizing", async () => {
    const flow = run({ defaultRegion: "eu-west-1", script: { chooseRegion: ["eu-west-1"], chooseProject: [PROJECT_ID], wantsToCustomize: [false] } });
    const { inputs, warnings } = await flow.result;
    expect(inputs).toEqual({ region: "eu-west-1", projectId: PROJECT_ID });
    expect(warnings).toEqual([]);
    expect(flow.questions()).toEqual(["chooseRegion", "chooseProject", "wantsToCustomize"]);
    expect(flow.asked[0].args).toEqual(["eu-west-1"]);
    expect(flow.asked[1].args).toEqual([[{ id: PROJECT_ID, name: "Marketing" }]]);
    expect(flow.listedRegions).toEqual(["eu-west-1"]);
    expect(flow.unanswered()).toEqual([]);
  });

  test("customizing asks each value with its default", async () => {
    const flow = run({
      script: {
        chooseRegion: ["us-east-2"],
        chooseProject: [PROJECT_ID],
        wantsToCustomize: [true],
        enterBucketName: ["acme-census-staging"],
        enterExpirationDays: [30],
        enterImporterRoleName: ["AcmeCensusImporter"],
        enterCensusUserName: ["acme-census"],
      },
    });
    const { inputs } = await flow.result;
    expect(inputs).toEqual({
      region: "us-east-2",
      projectId: PROJECT_ID,
      bucketName: "acme-census-staging",
      expirationDays: 30,
      importerRoleName: "AcmeCensusImporter",
      censusUserName: "acme-census",
    });
    const defaults = Object.fromEntries(flow.asked.map(({ question, args }) => [question, args[0]]));
    expect(defaults).toMatchObject({
      enterBucketName: "census-pinpoint-staging-01234567-123456789012-us-east-2",
      enterExpirationDays: 7,
      enterImporterRoleName: "CensusPinpointSegmentImporter-01234567",
      enterCensusUserName: "census-pinpoint-01234567",
    });
  });

  test("customizing asks only what no flag set", async () => {
    const flow = run({
      flags: { bucketName: "acme-census-staging", expirationDays: "14" },
      script: { chooseRegion: ["us-east-1"], chooseProject: [PROJECT_ID], wantsToCustomize: [true], enterImporterRoleName: ["R"], enterCensusUserName: ["U"] },
    });
    const { inputs } = await flow.result;
    expect(inputs).toMatchObject({ bucketName: "acme-census-staging", expirationDays: 14, importerRoleName: "R", censusUserName: "U" });
    expect(flow.unanswered()).toEqual([]);
  });

  test("a dotted bucket name is accepted with a warning", async () => {
    const flow = run({
      script: {
        chooseRegion: ["us-east-1"],
        chooseProject: [PROJECT_ID],
        wantsToCustomize: [true],
        enterBucketName: ["acme.census"],
        enterExpirationDays: [7],
        enterImporterRoleName: ["R"],
        enterCensusUserName: ["U"],
      },
    });
    expect((await flow.result).warnings).toEqual([expect.stringContaining('contains ".", which breaks TLS')]);
  });

  test.each<[string, () => Promise<ProjectListing>, string]>([
    ["fails", async () => ({ ok: false, reason: "AccessDenied: not authorized to perform\n mobiletargeting:GetApps" }), "AccessDenied: not authorized to perform mobiletargeting:GetApps"],
    ["finds nothing", listed(), "No Pinpoint projects found in eu-west-2"],
  ])("when listing %s, the reason is one warning line and the ID is typed", async (_, listProjects, reason) => {
    const flow = run({ listProjects, script: { chooseRegion: ["eu-west-2"], enterProjectId: [PROJECT_ID], wantsToCustomize: [false] } });
    const { inputs } = await flow.result;
    expect(inputs.projectId).toBe(PROJECT_ID);
    expect(flow.questions()).toEqual(["chooseRegion", "enterProjectId", "wantsToCustomize"]);
    expect(flow.events).toHaveLength(1);
    expect(flow.events[0]).toMatchObject({ kind: "warning", message: expect.stringContaining(reason) });
    expect((flow.events[0] as { message: string }).message).not.toContain("\n");
  });

  test("choosing to enter the ID by hand", async () => {
    const flow = run({ script: { chooseRegion: ["eu-west-1"], chooseProject: [undefined], enterProjectId: [OTHER_PROJECT_ID], wantsToCustomize: [false] } });
    expect((await flow.result).inputs.projectId).toBe(OTHER_PROJECT_ID);
  });

  test("an unusual typed ID, confirmed, is used without repeating the warning", async () => {
    const flow = run({
      listProjects: listed(),
      script: { chooseRegion: ["eu-west-1"], enterProjectId: ["my-project"], confirmUnusualProjectId: [true], wantsToCustomize: [false] },
    });
    const { inputs, warnings } = await flow.result;
    expect(inputs.projectId).toBe("my-project");
    expect(warnings).toEqual([]);
    expect(flow.asked.find(({ question }) => question === "confirmUnusualProjectId")?.args[0]).toContain('"my-project" does not look like an Amazon Pinpoint project ID');
  });

  test("an unusual ID, declined, is asked for again", async () => {
    const flow = run({
      flags: { projectId: "MyProject" },
      script: { chooseRegion: ["eu-west-1"], confirmUnusualProjectId: [false], enterProjectId: [PROJECT_ID], wantsToCustomize: [false] },
    });
    expect((await flow.result).inputs.projectId).toBe(PROJECT_ID);
    expect(flow.questions()).toEqual(["chooseRegion", "confirmUnusualProjectId", "enterProjectId", "wantsToCustomize"]);
  });

  test("an ID AWS listed needs no confirmation, whatever its shape, and comes with its name", async () => {
    const flow = run({ listProjects: listed({ id: "moto-app-1", name: "Test" }), script: { chooseRegion: ["eu-west-1"], chooseProject: ["moto-app-1"], wantsToCustomize: [false] } });
    expect(await flow.result).toEqual({ inputs: expect.objectContaining({ projectId: "moto-app-1" }), warnings: [], projectName: "Test" });
  });

  test("the region from AWS_REGION is used without asking", async () => {
    const flow = run({ env: { AWS_REGION: "ap-southeast-2" }, script: { chooseProject: [PROJECT_ID], wantsToCustomize: [false] } });
    expect((await flow.result).inputs.region).toBe("ap-southeast-2");
    expect(flow.questions()).not.toContain("chooseRegion");
    expect(flow.listedRegions).toEqual(["ap-southeast-2"]);
    expect(flow.events).toEqual([{ kind: "info", message: "Using region ap-southeast-2 (from AWS_REGION)." }]);
  });

  test("AWS_DEFAULT_REGION counts too, after AWS_REGION", async () => {
    const flow = run({ env: { AWS_DEFAULT_REGION: "eu-central-1" }, script: { chooseProject: [PROJECT_ID], wantsToCustomize: [false] } });
    expect((await flow.result).inputs.region).toBe("eu-central-1");
  });

  test("an AWS_REGION without Pinpoint is reported and the region asked", async () => {
    const flow = run({ env: { AWS_REGION: "sa-east-1" }, script: { chooseRegion: ["us-east-1"], chooseProject: [PROJECT_ID], wantsToCustomize: [false] } });
    expect((await flow.result).inputs.region).toBe("us-east-1");
    expect(flow.events[0]).toMatchObject({ kind: "warning", message: expect.stringContaining("Ignoring AWS_REGION: Amazon Pinpoint is not available in sa-east-1") });
  });

  test("flags for everything skip every question", async () => {
    const flow = run({
      flags: {
        region: "us-gov-west-1",
        projectId: PROJECT_ID,
        bucketName: "acme-census",
        expirationDays: "3",
        importerRoleName: "Importer",
        censusUserName: "census",
        kmsKeyArn: `arn:aws-us-gov:kms:us-gov-west-1:${ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      },
      env: { AWS_REGION: "eu-west-1" },
    });
    const { inputs } = await flow.result;
    expect(inputs).toEqual({
      region: "us-gov-west-1",
      projectId: PROJECT_ID,
      bucketName: "acme-census",
      expirationDays: 3,
      importerRoleName: "Importer",
      censusUserName: "census",
      kmsKeyArn: `arn:aws-us-gov:kms:us-gov-west-1:${ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
    });
    expect(flow.asked).toEqual([]);
    expect(flow.listedRegions).toEqual([]);
  });

  test("Ctrl-C in any question ends the flow with InterruptedError", async () => {
    const flow = run({ script: { chooseRegion: ["eu-west-1"], chooseProject: [new InterruptedError("Cancelled.")] } });
    const error = await failure(flow.result);
    expect(error).toBeInstanceOf(InterruptedError);
    expect(exitCodeFor(error)).toBe(130);
  });
});

describe("flag validation", () => {
  test.each([
    [{ bucketName: "Foo" }, '--bucket-name: "Foo" is not a valid S3 bucket name: it must not contain uppercase letters; it must start with a lowercase letter or digit.'],
    [{ bucketName: "192.168.1.1" }, "--bucket-name: \"192.168.1.1\" is not a valid S3 bucket name: it must not be formatted as an IP address."],
    [{ expirationDays: "0" }, '--expiration-days: Expiration days must be a whole number from 1 to 3650; got "0".'],
    [{ expirationDays: "1.5" }, '--expiration-days: Expiration days must be a whole number from 1 to 3650; got "1.5".'],
    [{ region: "eu-north-1" }, "--region: Amazon Pinpoint is not available in eu-north-1."],
    [{ projectId: "apps/x" }, '--project-id: The Pinpoint project ID "apps/x" contains "/".'],
    [{ importerRoleName: "a role" }, '--importer-role-name: "a role" is not a valid IAM role name'],
    [{ censusUserName: "x".repeat(65) }, "--census-user-name: "],
  ])("%j → exit 2 before any question", async (flags, message) => {
    const flow = run({ flags });
    const error = await failure(flow.result);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain(message);
    expect(exitCodeFor(error)).toBe(2);
    expect(flow.asked).toEqual([]);
  });

  test("a KMS key in another region is refused once the region is known", async () => {
    const flow = run({
      flags: { region: "eu-west-1", projectId: PROJECT_ID, kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/abcd` },
      script: { wantsToCustomize: [false] },
    });
    const error = await failure(flow.result);
    expect((error as Error).message).toMatch(/^--kms-key-arn: KMS key .* is in us-east-1/);
    expect(exitCodeFor(error)).toBe(2);
  });
});

describe("non-interactive", () => {
  test("never asks: flags and the environment are enough", async () => {
    const flow = run({ interactive: false, env: { AWS_REGION: "eu-west-2" }, flags: { projectId: PROJECT_ID } });
    expect((await flow.result).inputs).toEqual({ region: "eu-west-2", projectId: PROJECT_ID });
    expect(flow.asked).toEqual([]);
    expect(flow.listedRegions).toEqual([]);
  });

  test("the AWS config's region stands in for a region flag", async () => {
    const flow = run({ interactive: false, defaultRegion: "ca-central-1", flags: { projectId: PROJECT_ID } });
    expect((await flow.result).inputs.region).toBe("ca-central-1");
  });

  test.each([
    [{ projectId: PROJECT_ID }, {}, "--region"],
    [{ region: "eu-west-1" }, {}, "--project-id"],
    [{}, { AWS_REGION: "eu-west-1" }, "--project-id"],
  ])("a missing value (flags %j, env %j) names %s and exits 2", async (flags, env, flag) => {
    const flow = run({ interactive: false, flags, env });
    const error = await failure(flow.result);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain(`pass ${flag}`);
    expect(exitCodeFor(error)).toBe(2);
    expect(flow.asked).toEqual([]);
  });

  test("an AWS_REGION without Pinpoint is an error naming the variable and the flag", async () => {
    const error = await failure(run({ interactive: false, env: { AWS_REGION: "cn-north-1" }, flags: { projectId: PROJECT_ID } }).result);
    expect(error).toMatchObject({ message: expect.stringMatching(/^AWS_REGION: Region "cn-north-1" is in the AWS China partition/), hint: expect.stringContaining("--region") });
    expect(exitCodeFor(error)).toBe(2);
  });

  test("an unusual project ID continues, with the warning returned", async () => {
    const flow = run({ interactive: false, flags: { region: "eu-west-1", projectId: "MyProject" } });
    const { inputs, warnings } = await flow.result;
    expect(inputs.projectId).toBe("MyProject");
    expect(warnings).toEqual([expect.stringContaining('"MyProject" does not look like an Amazon Pinpoint project ID')]);
    expect(flow.asked).toEqual([]);
  });
});
