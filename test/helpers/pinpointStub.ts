/**
 * A local HTTP endpoint answering Amazon Pinpoint's GetApp and GetApps the way AWS words them,
 * including the refusals moto cannot produce: end of support, access denied, a server error. The real
 * AWS SDK parses its answers, so the CLI meets them exactly as it would meet AWS. A test points
 * AWS_ENDPOINT_URL_PINPOINT at `url` (the other services stay on moto).
 */
import { createServer, type Server } from "node:http";

export type PinpointAnswer =
  | { kind: "found"; name: string }
  | { kind: "not-found" }
  | { kind: "end-of-support" }
  | { kind: "access-denied" }
  | { kind: "server-error" };

/** The wording a retired Pinpoint would plausibly use (what wizard/aws/pinpoint.ts recognises as end of support). */
export const END_OF_SUPPORT_MESSAGE = "Amazon Pinpoint engagement features are no longer supported.";

export interface PinpointStub {
  readonly url: string;
  /** What GetApp answers for a project ID; projects not named get `fallback`. */
  answers: Map<string, PinpointAnswer>;
  fallback: PinpointAnswer;
  /** What GetApps answers: the listed projects (found answers), or a refusal. */
  listing: "projects" | "end-of-support";
  /** How long each answer waits, to see requests overlap. */
  delayMs: number;
  /** The paths asked for, in order. */
  readonly requests: string[];
  /** The most requests that were open at once. */
  readonly maxInFlight: number;
}

function error(status: number, type: string, message: string) {
  return { status, headers: { "x-amzn-errortype": type }, body: { Message: message, RequestID: "7d7a4f3e-0c1b-4a2d-9e8f-123456789012" } };
}

function answerFor(answer: PinpointAnswer, operation: "GetApp" | "GetApps", resource: string) {
  switch (answer.kind) {
    case "found":
      return { status: 200, headers: {}, body: {} };
    case "not-found":
      return error(404, "NotFoundException", "Resource not found");
    case "end-of-support":
      return error(403, "ForbiddenException", END_OF_SUPPORT_MESSAGE);
    case "access-denied":
      return error(403, "ForbiddenException", `User: arn:aws:iam::123456789012:user/ann is not authorized to perform: mobiletargeting:${operation} on resource: ${resource}`);
    case "server-error":
      return error(500, "InternalServerErrorException", "Internal server error");
  }
}

/** Listens on a loopback port for the test file (or describe block) that calls it. */
export function usePinpointStub(): PinpointStub {
  let server: Server | undefined;
  const stub = {
    answers: new Map<string, PinpointAnswer>(),
    fallback: { kind: "not-found" } as PinpointAnswer,
    listing: "projects" as PinpointStub["listing"],
    delayMs: 0,
    requests: [] as string[],
    inFlight: 0,
    maxInFlight: 0,
    get url() {
      const address = server?.address();
      if (!address || typeof address === "string") throw new Error("the Pinpoint stub is used outside a test");
      return `http://127.0.0.1:${address.port}`;
    },
  };
  beforeAll(async () => {
    server = createServer(async (request, response) => {
      const path = new URL(request.url ?? "/", "http://stub").pathname;
      stub.requests.push(path);
      stub.inFlight += 1;
      stub.maxInFlight = Math.max(stub.maxInFlight, stub.inFlight);
      await new Promise((resolve) => setTimeout(resolve, stub.delayMs));
      stub.inFlight -= 1;
      const appsArn = "arn:aws:mobiletargeting:us-east-1:123456789012:apps";
      let reply: { status: number; headers: Record<string, string>; body: unknown };
      const app = /^\/v1\/apps\/([^/]+)$/.exec(path);
      if (app) {
        const id = decodeURIComponent(app[1]!);
        const answer = stub.answers.get(id) ?? stub.fallback;
        reply = answerFor(answer, "GetApp", `${appsArn}/${id}`);
        if (answer.kind === "found") reply.body = { Id: id, Name: answer.name, Arn: `${appsArn}/${id}` };
      } else if (path === "/v1/apps") {
        reply =
          stub.listing === "end-of-support"
            ? answerFor({ kind: "end-of-support" }, "GetApps", appsArn)
            : {
                status: 200,
                headers: {},
                body: { Item: [...stub.answers].flatMap(([id, answer]) => (answer.kind === "found" ? [{ Id: id, Name: answer.name, Arn: `${appsArn}/${id}` }] : [])) },
              };
      } else {
        reply = error(404, "NotFoundException", `No route for ${path}`);
      }
      response.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
      response.end(JSON.stringify(reply.body));
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  });
  beforeEach(() => {
    stub.answers.clear();
    stub.fallback = { kind: "not-found" };
    stub.listing = "projects";
    stub.delayMs = 0;
    stub.requests.length = 0;
    stub.maxInFlight = 0;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });
  return stub;
}
