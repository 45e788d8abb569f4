// How SDK failures become the CLI's typed errors: constructed SDK errors for the mapping, and a real
// endpoint that accepts connections and never answers for the timeouts. No moto needed here.
import { IAMServiceException } from "@aws-sdk/client-iam";
import { S3ServiceException } from "@aws-sdk/client-s3";
import { STSServiceException } from "@aws-sdk/client-sts";
import { awsFailureToCliError, type AwsCallContext } from "../../wizard/aws/awsErrors.js";
import { AWS_CALL_LIMITS } from "../../wizard/aws/clients.js";
import { getCallerIdentity } from "../../wizard/aws/identity.js";
import { AwsCredentialsError, AwsRequestError, EXIT, exitCodeFor, UsageError } from "../../wizard/errors.js";
import { DUMMY_CREDENTIALS, isolateAwsEnvironment, type IsolatedAwsEnvironment } from "../helpers/moto.js";
import { useSilentEndpoint } from "../helpers/silentEndpoint.js";

const iamContext: AwsCallContext = { target: { region: "us-east-1", env: {} }, service: "IAM", operation: "CreateRole", permission: "iam:CreateRole" };

function serviceError(Exception: typeof IAMServiceException | typeof STSServiceException | typeof S3ServiceException, name: string, status: number, message: string) {
  return new Exception({ name, $fault: "client", $metadata: { httpStatusCode: status }, message });
}

describe("AccessDenied", () => {
  test("names the principal, the action, the resource and why, from AWS's message", () => {
    const error = awsFailureToCliError(
      serviceError(
        IAMServiceException,
        "AccessDenied",
        403,
        "User: arn:aws:iam::123456789012:user/x is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::123456789012:role/CensusPinpointSegmentImporter-01234567 because no identity-based policy allows the iam:CreateRole action",
      ),
      iamContext,
    );
    expect(error).toBeInstanceOf(AwsCredentialsError);
    expect(exitCodeFor(error)).toBe(EXIT.aws);
    expect(error.message).toBe(
      "AWS denied IAM CreateRole: arn:aws:iam::123456789012:user/x is not allowed to perform iam:CreateRole on arn:aws:iam::123456789012:role/CensusPinpointSegmentImporter-01234567 (because no identity-based policy allows the iam:CreateRole action).",
    );
    expect(error.hint).toContain("iam:CreateRole");
    expect(error.hint).toContain("--profile");
  });

  test("an explicit deny in a service control policy is kept", () => {
    const error = awsFailureToCliError(
      serviceError(IAMServiceException, "AccessDenied", 403, "User: arn:aws:sts::123456789012:assumed-role/Admin/me is not authorized to perform: iam:CreateUser with an explicit deny in a service control policy"),
      { ...iamContext, operation: "CreateUser", permission: "iam:CreateUser" },
    );
    expect(error.message).toBe(
      "AWS denied IAM CreateUser: arn:aws:sts::123456789012:assumed-role/Admin/me is not allowed to perform iam:CreateUser (with an explicit deny in a service control policy).",
    );
  });

  test("a bare 403 (HEAD has no body) falls back to the operation's permission and the caller's profile", () => {
    const error = awsFailureToCliError(serviceError(S3ServiceException, "Forbidden", 403, "UnknownError"), {
      target: { region: "eu-west-1", profile: "staging", env: {} },
      service: "S3",
      operation: "HeadBucket",
      permission: "s3:ListBucket",
    });
    expect(error).toBeInstanceOf(AwsCredentialsError);
    expect(error.message).toBe('AWS denied S3 HeadBucket: the identity of AWS profile "staging" is not allowed to perform s3:ListBucket.');
  });
});

describe("credentials", () => {
  test.each(["ExpiredToken", "ExpiredTokenException", "InvalidClientTokenId", "SignatureDoesNotMatch", "UnrecognizedClientException"])(
    "%s: AwsCredentialsError pointing at --profile, AWS_PROFILE and aws sso login",
    (code) => {
      const error = awsFailureToCliError(serviceError(STSServiceException, code, 403, "The security token included in the request is expired"), {
        target: { region: "us-east-1", profile: "dev", env: {} },
        service: "STS",
        operation: "GetCallerIdentity",
        permission: "sts:GetCallerIdentity",
      });
      expect(error).toBeInstanceOf(AwsCredentialsError);
      expect(error.message).toBe(`AWS rejected the credentials of AWS profile "dev" on STS GetCallerIdentity: The security token included in the request is expired (${code}).`);
      for (const word of ["--profile", "AWS_PROFILE", "aws sso login"]) expect(error.hint).toContain(word);
    },
  );

  test("an expired SSO session keeps the SDK's explanation", () => {
    const sso = Object.assign(new Error("The SSO session associated with this profile has expired. To refresh this SSO session run 'aws sso login' with the corresponding profile."), {
      name: "CredentialsProviderError",
    });
    const error = awsFailureToCliError(sso, { target: { region: "us-east-1", profile: "sso-dev", env: {} }, service: "STS", operation: "GetCallerIdentity", permission: "sts:GetCallerIdentity" });
    expect(error).toBeInstanceOf(AwsCredentialsError);
    expect(error.message).toBe(
      `Could not load AWS credentials for profile "sso-dev": The SSO session associated with this profile has expired. To refresh this SSO session run 'aws sso login' with the corresponding profile.`,
    );
    expect(error.hint).toContain("aws sso login --profile");
  });

  test("a token that cannot be refreshed (TokenProviderError) is a credentials problem too", () => {
    const error = awsFailureToCliError(Object.assign(new Error("Token is expired. To refresh this SSO session run 'aws sso login'."), { name: "TokenProviderError" }), iamContext);
    expect(error).toBeInstanceOf(AwsCredentialsError);
  });

  test("secrets never reach a message: the caller's, and anything shaped like a secret key", () => {
    const sessionToken = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN";
    const otherSecret = "abcdEFGHijklMNOPqrstUVWXyz0123456789/+ab";
    const leaky = serviceError(
      STSServiceException,
      "SignatureDoesNotMatch",
      403,
      `signed with ${DUMMY_CREDENTIALS.secretAccessKey} and ${sessionToken}; also ${otherSecret}`,
    );
    const error = awsFailureToCliError(leaky, {
      target: { region: "us-east-1", credentials: { ...DUMMY_CREDENTIALS, sessionToken }, env: {} },
      service: "STS",
      operation: "GetCallerIdentity",
      permission: "sts:GetCallerIdentity",
    });
    const text = `${error.message}\n${error.hint}`;
    for (const secret of [DUMMY_CREDENTIALS.secretAccessKey, sessionToken, otherSecret]) expect(text).not.toContain(secret);
    expect(error.message).toContain("[redacted]");
  });
});

describe("other failures", () => {
  test("a timeout names the region's endpoint when none is configured", () => {
    const timeout = Object.assign(new Error("socket hang"), { name: "TimeoutError", $metadata: { attempts: 3 } });
    const error = awsFailureToCliError(timeout, { target: { region: "eu-west-1", env: {} }, service: "STS", operation: "GetCallerIdentity", permission: "sts:GetCallerIdentity" });
    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error.message).toBe("Could not reach the AWS STS endpoint in eu-west-1 for STS GetCallerIdentity: no answer within 5 s (tried 3 times).");
    expect(error.hint).toContain("AWS_ENDPOINT_URL");
  });

  test("an unknown host names the host", () => {
    const dns = Object.assign(new Error("getaddrinfo ENOTFOUND sts.eu-west-1.amazonaws.com"), { code: "ENOTFOUND", hostname: "sts.eu-west-1.amazonaws.com" });
    const error = awsFailureToCliError(dns, { target: { region: "eu-west-1", env: {} }, service: "STS", operation: "GetCallerIdentity", permission: "sts:GetCallerIdentity" });
    expect(error.message).toBe("Could not reach the AWS STS endpoint in eu-west-1 for STS GetCallerIdentity: host name not found (sts.eu-west-1.amazonaws.com).");
  });

  test("a service error keeps AWS's code and status", () => {
    const error = awsFailureToCliError(serviceError(IAMServiceException, "EntityAlreadyExists", 409, "Role with name X already exists."), iamContext);
    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error.message).toBe("IAM CreateRole failed: Role with name X already exists (EntityAlreadyExists, HTTP 409).");
  });

  test("a CliError passes through", () => {
    const usage = new UsageError("bad");
    expect(awsFailureToCliError(usage, iamContext)).toBe(usage);
  });
});

describe("an endpoint that accepts connections and never answers", () => {
  const silent = useSilentEndpoint();
  let env: IsolatedAwsEnvironment;

  beforeAll(() => {
    env = isolateAwsEnvironment(silent.url);
  });

  afterAll(() => env?.restore());

  const worstCaseMs = AWS_CALL_LIMITS.maxAttempts * (AWS_CALL_LIMITS.requestTimeoutMs + 1_000);

  test(
    "fails within the bounded retries with an AwsRequestError naming the endpoint",
    async () => {
      const started = Date.now();
      const error = await getCallerIdentity({ region: "us-east-1", credentials: DUMMY_CREDENTIALS, env: process.env }).catch((e: unknown) => e);
      const elapsed = Date.now() - started;
      expect(error).toBeInstanceOf(AwsRequestError);
      expect(exitCodeFor(error)).toBe(EXIT.aws);
      expect((error as Error).message).toBe(
        `Could not reach ${process.env.AWS_ENDPOINT_URL} (set by AWS_ENDPOINT_URL) for STS GetCallerIdentity: no answer within 5 s (tried 3 times).`,
      );
      expect(elapsed).toBeGreaterThanOrEqual(AWS_CALL_LIMITS.requestTimeoutMs);
      expect(elapsed).toBeLessThan(worstCaseMs);
    },
    worstCaseMs + 5_000,
  );
});
