// Fail fast: the credential lookup starts while the region question is on screen, and a failure that
// no answer could change ends that question at once with its own error (exit 3), instead of after the
// user has answered. The real AWS SDK, offline (no moto needed: each failure happens before any AWS
// answer), with a scripted Prompter whose region question is never answered.
import { GetCallerIdentityCommand, STSClient, STSServiceException } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { createServer } from "node:net";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXIT, InterruptedError } from "../../../wizard/errors.js";
import { lastErrorLine, runCli } from "../../helpers/cliIo.js";
import { FakePulumi } from "../../helpers/fakePulumi.js";
import { DUMMY_CREDENTIALS, isolateAwsEnvironment, type IsolatedAwsEnvironment } from "../../helpers/moto.js";
import { NO_ANSWER } from "../../helpers/scriptedPrompter.js";
import { EXPIRED_SSO_PROFILE, writeExpiredSsoProfile } from "../../helpers/expiredSso.js";

let aws: IsolatedAwsEnvironment;
let home: string;
let savedHome: string | undefined;

/** A loopback port nothing listens on: connections to it are refused at once. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

beforeEach(async () => {
  aws = isolateAwsEnvironment(await closedPort());
  home = mkdtempSync(join(tmpdir(), "census-pinpoint-failfast-"));
  // The SSO token cache is under HOME (~/.aws/sso/cache): never the real one.
  savedHome = process.env.HOME;
  process.env.HOME = join(home, "user-home");
  mkdirSync(process.env.HOME);
});

afterEach(() => {
  process.env.HOME = savedHome;
  aws.restore();
  rmSync(home, { recursive: true, force: true });
});

/**
 * setup in a terminal whose region question is still open; resolves with the run once it ended. `env`
 * goes into this process's environment, where the AWS SDK reads it (afterEach restores it).
 */
async function setupWithRegionOpen(env: NodeJS.ProcessEnv = {}) {
  Object.assign(process.env, env);
  const fake = new FakePulumi();
  const started = Date.now();
  const run = runCli(["setup"], { home: join(home, "cp"), fake, terminal: true, script: { chooseRegion: [NO_ANSWER] } });
  const code = await run.code;
  return { ...run, code, elapsed: Date.now() - started, fake };
}

describe("a credential failure ends the region question at once", () => {
  test("no AWS credentials: the question ends with \"No AWS credentials found.\", exit 3", async () => {
    const run = await setupWithRegionOpen();

    expect(run.code).toBe(EXIT.aws);
    expect(lastErrorLine(run.stderr())).toBe("No AWS credentials found.");
    expect(run.stderr()).toContain("aws sso login --profile <name>");
    expect(run.questions()).toEqual(["chooseRegion"]);
    expect(run.ended.map(({ question }) => question)).toEqual(["chooseRegion"]);
    expect(run.elapsed).toBeLessThan(10_000);
    expect(run.fake.calls).toEqual([]);
  });

  test("an expired SSO session (its token cannot be refreshed): the SDK's reason, exit 3", async () => {
    // Its refresh goes to AWS_ENDPOINT_URL, a closed port.
    writeExpiredSsoProfile(aws.configFile, process.env.HOME!);
    const run = await setupWithRegionOpen({ AWS_PROFILE: EXPIRED_SSO_PROFILE });

    expect(run.code).toBe(EXIT.aws);
    expect(lastErrorLine(run.stderr())).toMatch(/^Could not load AWS credentials for profile "sso-expired": Token is expired\. To refresh this SSO session run 'aws sso login'/);
    expect(run.ended.map(({ question }) => question)).toEqual(["chooseRegion"]);
    expect(run.elapsed).toBeLessThan(10_000);
  });

  test("AWS_ENDPOINT_URL at a closed port: \"Could not reach …\", exit 3", async () => {
    const endpoint = process.env.AWS_ENDPOINT_URL!;
    const run = await setupWithRegionOpen({ AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey });

    expect(run.code).toBe(EXIT.aws);
    expect(lastErrorLine(run.stderr())).toMatch(
      new RegExp(`^Could not reach ${endpoint.replace(/[.]/g, "\\.")} \\(set by AWS_ENDPOINT_URL\\) for STS GetCallerIdentity: connection refused`),
    );
    expect(run.ended.map(({ question }) => question)).toEqual(["chooseRegion"]);
    expect(run.elapsed).toBeLessThan(10_000);
  });
});

describe("a failure that may depend on the region waits for the answer", () => {
  const IDENTITY = { Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/admin", UserId: "AIDAEXAMPLE" };
  let sts: ReturnType<typeof mockClient>;

  beforeEach(() => {
    sts = mockClient(STSClient);
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey });
  });

  afterEach(() => sts.restore());

  /** The regions STS was asked in, in order. */
  const stsRegions = () => Promise.all(sts.commandCalls(GetCallerIdentityCommand).map((call) => (call.thisValue as STSClient).config.region()));

  /** The region question, answered with `region` once the early lookup has been made; then Ctrl-C at the project ID. */
  function answerAfterEarlyLookup(region: string) {
    const answer = new Promise<string>((resolve) => {
      const poll = setInterval(() => {
        if (sts.commandCalls(GetCallerIdentityCommand).length > 0) {
          clearInterval(poll);
          setTimeout(() => resolve(region), 50);
        }
      }, 10);
    });
    return runCli(["setup"], {
      home: join(home, "cp"),
      fake: new FakePulumi(),
      terminal: true,
      script: { chooseRegion: [answer as never], enterProjectId: [new InterruptedError("Cancelled.")] },
    });
  }

  test("an expired session token (ExpiredToken: only the partition that issued it says so) ends the question at once, exit 3", async () => {
    sts.on(GetCallerIdentityCommand).rejects(
      new STSServiceException({ name: "ExpiredToken", $fault: "client", $metadata: { httpStatusCode: 403 }, message: "The security token included in the request is expired" }),
    );
    const run = await setupWithRegionOpen();

    expect(run.code).toBe(EXIT.aws);
    expect(lastErrorLine(run.stderr())).toBe("AWS rejected the default AWS credentials on STS GetCallerIdentity: The security token included in the request is expired (ExpiredToken).");
    expect(run.ended.map(({ question }) => question)).toEqual(["chooseRegion"]);
  });

  test("a key STS does not know (InvalidClientTokenId: a GovCloud key at the commercial STS is refused so) leaves the question open; answered, it is the error, from one STS call", async () => {
    sts.on(GetCallerIdentityCommand).rejects(
      new STSServiceException({ name: "InvalidClientTokenId", $fault: "client", $metadata: { httpStatusCode: 403 }, message: "The security token included in the request is invalid." }),
    );
    const run = answerAfterEarlyLookup("us-east-1");

    expect(await run.code).toBe(EXIT.aws);
    expect(lastErrorLine(run.stderr())).toMatch(/^AWS rejected the default AWS credentials on STS GetCallerIdentity: The security token included in the request is invalid \(InvalidClientTokenId\)\.$/);
    expect(run.ended).toEqual([]);
    expect(run.questions()).toEqual(["chooseRegion"]);
    expect(await stsRegions()).toEqual(["us-east-1"]);
  });

  test("answered in a region of the same partition, the early answer is used: one STS call, the account reported once", async () => {
    sts.on(GetCallerIdentityCommand).resolves(IDENTITY);
    const run = answerAfterEarlyLookup("eu-west-1");

    expect(await run.code).toBe(EXIT.interrupted);
    expect(await stsRegions()).toEqual(["us-east-1"]);
    expect(run.stderr().match(/Using AWS account 123456789012/g)).toHaveLength(1);
  });

  test("answered in GovCloud, another partition: STS is asked again there", async () => {
    sts.on(GetCallerIdentityCommand).resolves(IDENTITY);
    const run = answerAfterEarlyLookup("us-gov-west-1");

    expect(await run.code).toBe(EXIT.interrupted);
    expect(await stsRegions()).toEqual(["us-east-1", "us-gov-west-1"]);
  });

  test("the early lookup is made in the AWS profile's region when it has Pinpoint", async () => {
    writeFileSync(aws.configFile, "[default]\nregion = eu-central-1\n");
    sts.on(GetCallerIdentityCommand).resolves(IDENTITY);
    const run = answerAfterEarlyLookup("eu-central-1");

    expect(await run.code).toBe(EXIT.interrupted);
    expect(run.asked[0]!.args).toEqual(["eu-central-1"]);
    expect(await stsRegions()).toEqual(["eu-central-1"]);
  });
});
