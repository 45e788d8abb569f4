// Pinpoint project listing and lookup against moto_server, and the failures that must degrade to a
// reason instead of stopping the CLI. moto cannot produce AWS's own refusal messages (it answers
// authorization failures with XML the SDK cannot parse), nor paginate GetApps: those cases use
// aws-sdk-client-mock.
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import {
  CreateAppCommand,
  ForbiddenException,
  GetAppCommand,
  GetAppsCommand,
  InternalServerErrorException,
  PinpointClient,
} from "@aws-sdk/client-pinpoint";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { findPinpointProject, findPinpointProjects, listPinpointProjects } from "../../wizard/aws/pinpoint.js";
import type { AwsTarget } from "../../wizard/aws/target.js";
import { AwsCredentialsError } from "../../wizard/errors.js";
import { DUMMY_CREDENTIALS, freePort, MOTO_ACCOUNT_ID, useMoto } from "../helpers/moto.js";

const target: AwsTarget = { region: "us-east-1", credentials: DUMMY_CREDENTIALS, env: process.env };
const MISSING_PROJECT_ID = "0123456789abcdef0123456789abcdef";
const moto = useMoto();

async function createApps(...names: string[]): Promise<Array<{ id: string; name: string }>> {
  const client = new PinpointClient({ region: target.region, credentials: DUMMY_CREDENTIALS });
  try {
    const apps = [];
    for (const name of names) {
      const { ApplicationResponse } = await client.send(new CreateAppCommand({ CreateApplicationRequest: { Name: name } }));
      apps.push({ id: ApplicationResponse!.Id!, name });
    }
    return apps;
  } finally {
    client.destroy();
  }
}

describe("against moto", () => {
  test("no projects: an empty list", async () => {
    expect(await listPinpointProjects(target)).toEqual({ ok: true, projects: [] });
  });

  test("lists every project with its ID and name", async () => {
    const apps = await createApps("Marketing", "Transactional");
    const listing = await listPinpointProjects(target);
    expect(listing).toEqual({ ok: true, projects: expect.arrayContaining(apps) });
    expect(listing.ok && listing.projects).toHaveLength(2);
    for (const { id } of apps) expect(id).toMatch(/^[0-9a-f]{32}$/);
  });

  test("finds a project by ID, and says when there is none", async () => {
    const [app] = await createApps("Marketing");
    expect(await findPinpointProject(target, app!.id)).toEqual({ status: "found", name: "Marketing" });
    expect(await findPinpointProject(target, MISSING_PROJECT_ID)).toEqual({ status: "not-found" });
  });

  test("several projects of a region at once: each found or not, one answer per ID", async () => {
    const [marketing, transactional] = await createApps("Marketing", "Transactional");
    const lookups = await findPinpointProjects(target, [marketing!.id, MISSING_PROJECT_ID, transactional!.id, marketing!.id]);
    expect(lookups).toEqual(
      new Map([
        [marketing!.id, { status: "found", name: "Marketing" }],
        [MISSING_PROJECT_ID, { status: "not-found" }],
        [transactional!.id, { status: "found", name: "Transactional" }],
      ]),
    );
  });

  test("projects are per region", async () => {
    await createApps("Marketing");
    expect(await listPinpointProjects({ ...target, region: "eu-west-1" })).toEqual({ ok: true, projects: [] });
  });

  test("a principal without Pinpoint permissions degrades to a reason, not an error", async () => {
    // moto answers a refused Pinpoint call with an XML error the SDK fails to parse (a SyntaxError);
    // the HTTP 403 is all there is to go on.
    const iam = new IAMClient(target);
    await iam.send(new CreateUserCommand({ UserName: "no-pinpoint" }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "no-pinpoint" }));
    iam.destroy();
    await moto.enforceIam(true);
    const limited: AwsTarget = { region: "us-east-1", credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }, env: process.env };

    const listing = await listPinpointProjects(limited);
    expect(listing.ok).toBe(false);
    expect(!listing.ok && listing.reason).toMatch(/^access denied: .*mobiletargeting:GetApps/);
    expect(!listing.ok && listing.reason).not.toMatch(/\n/);
    expect(await findPinpointProject(limited, MISSING_PROJECT_ID)).toEqual({
      status: "unavailable",
      cause: "access-denied",
      reason: expect.stringMatching(/^access denied: .*mobiletargeting:GetApp\b/),
    });
  });

  test("missing credentials still throw: nothing else would work either", async () => {
    await expect(listPinpointProjects({ region: "us-east-1", env: process.env })).rejects.toBeInstanceOf(AwsCredentialsError);
    await expect(findPinpointProject({ region: "us-east-1", env: process.env }, MISSING_PROJECT_ID)).rejects.toBeInstanceOf(AwsCredentialsError);
    await expect(findPinpointProjects({ region: "us-east-1", env: process.env }, [MISSING_PROJECT_ID])).rejects.toBeInstanceOf(AwsCredentialsError);
  });

  test("an unreachable endpoint degrades to a reason naming it", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    process.env.AWS_ENDPOINT_URL = closed;
    try {
      const listing = await listPinpointProjects(target);
      expect(listing).toEqual({ ok: false, reason: expect.stringContaining(`could not reach ${closed} (set by AWS_ENDPOINT_URL): connection refused`) });
      expect(await findPinpointProject(target, MISSING_PROJECT_ID)).toEqual({ status: "unavailable", cause: "unreachable", reason: expect.stringContaining(`could not reach ${closed}`) });
    } finally {
      process.env.AWS_ENDPOINT_URL = moto.endpoint;
    }
  });
});

describe("with a mocked Pinpoint client", () => {
  let pinpoint: AwsClientStub<PinpointClient>;
  // In beforeAll, not at collection time: mocking replaces `send` for every PinpointClient, and the
  // moto tests above must reach moto.
  beforeAll(() => {
    pinpoint = mockClient(PinpointClient);
  });
  afterEach(() => pinpoint.reset());
  afterAll(() => pinpoint.restore());

  test("follows NextToken across pages", async () => {
    pinpoint
      .on(GetAppsCommand, { Token: undefined })
      .resolves({ ApplicationsResponse: { Item: [{ Id: "a".repeat(32), Name: "One", Arn: "" }], NextToken: "page-2" } })
      .on(GetAppsCommand, { Token: "page-2" })
      .resolves({ ApplicationsResponse: { Item: [{ Id: "b".repeat(32), Name: "Two", Arn: "" }] } });
    expect(await listPinpointProjects(target)).toEqual({
      ok: true,
      projects: [
        { id: "a".repeat(32), name: "One" },
        { id: "b".repeat(32), name: "Two" },
      ],
    });
    expect(pinpoint.commandCalls(GetAppsCommand)).toHaveLength(2);
  });

  test("stops when a page hands back a token it already gave", async () => {
    pinpoint.on(GetAppsCommand).resolves({ ApplicationsResponse: { Item: [], NextToken: "same" } });
    expect(await listPinpointProjects(target)).toEqual({ ok: true, projects: [] });
    expect(pinpoint.commandCalls(GetAppsCommand)).toHaveLength(2);
  });

  test("AWS's access-denied message names the principal and the action", async () => {
    const principal = `arn:aws:iam::${MOTO_ACCOUNT_ID}:user/analyst`;
    pinpoint.on(GetAppsCommand).rejects(
      new ForbiddenException({
        message: `User: ${principal} is not authorized to perform: mobiletargeting:GetApps on resource: arn:aws:mobiletargeting:us-east-1:${MOTO_ACCOUNT_ID}:apps`,
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const listing = await listPinpointProjects(target);
    expect(!listing.ok && listing.reason).toMatch(new RegExp(`^access denied: ${principal} may not perform mobiletargeting:GetApps \\(`));
  });

  test("a refusal worded as end of support says so", async () => {
    pinpoint.on(GetAppCommand).rejects(
      new ForbiddenException({ message: "Amazon Pinpoint engagement features are no longer supported.", $metadata: { httpStatusCode: 403 } }),
    );
    const lookup = await findPinpointProject(target, MISSING_PROJECT_ID);
    expect(lookup).toEqual({ status: "unavailable", cause: "end-of-support", reason: expect.stringContaining("ended support for Amazon Pinpoint's engagement features on 30 October 2026") });
    expect(lookup.status === "unavailable" && lookup.reason).toMatch(/^Amazon Pinpoint refused GetApp, apparently because/);
  });

  test("an unexplained failure is reported with its code and status, end of support named as a possible cause", async () => {
    pinpoint.on(GetAppsCommand).rejects(new InternalServerErrorException({ message: "Internal server error", $metadata: { httpStatusCode: 500 } }));
    pinpoint.on(GetAppCommand).rejects(new InternalServerErrorException({ message: "Internal server error", $metadata: { httpStatusCode: 500 } }));
    expect(await findPinpointProject(target, MISSING_PROJECT_ID)).toMatchObject({ status: "unavailable", cause: "failed" });
    const listing = await listPinpointProjects(target);
    expect(listing).toEqual({
      ok: false,
      reason: "Amazon Pinpoint GetApps failed: Internal server error (InternalServerErrorException, HTTP 500); AWS ended support for Amazon Pinpoint's engagement features on 30 October 2026, which may be the cause",
    });
  });
});
