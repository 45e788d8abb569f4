/**
 * A stand-in for the Pulumi CLI behind the Automation API: the object LocalWorkspace accepts as
 * `pulumiCommand`. It keeps stacks, config, outputs and history in memory, answers the commands the
 * SDK issues, sends engine events the way the SDK listens for them (gRPC above CLI 3.205, an event
 * log file below), and fails the way the SDK reports a failed command. Every call is recorded.
 * It does not run the inline program: a real CLI would call back into it, the fake just answers.
 */
import { appendFileSync } from "node:fs";
import * as grpc from "@grpc/grpc-js";
import * as automation from "@pulumi/pulumi/automation/index.js";
import { EventsClient } from "@pulumi/pulumi/proto/events_grpc_pb.js";
import { EventRequest } from "@pulumi/pulumi/proto/events_pb.js";
import { SemVer } from "semver";
import { TEST_ACCESS_KEY_ID, TEST_ACCOUNT_ID, TEST_SECOND_ACCESS_KEY_ID, TEST_SECRET_KEY } from "./pulumiMocks.js";

/** The SDK's internal result type and error factory (exported at runtime, absent from its typings). */
const sdk = automation as unknown as {
  CommandResult: new (stdout: string, stderr: string, code: number, err?: Error) => object;
  createCommandError(result: object): Error;
};

export interface FakeCall {
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

/** What an engine event looks like on the wire, before the fake stamps sequence and timestamp. */
export type FakeEvent = Record<string, unknown>;

export interface FakeFailure {
  /** The CLI's stderr (and stdout) for a command that ran and exited 255; streamed first, as the CLI prints them. */
  stderr?: string;
  stdout?: string;
  /** The binary could not be started (no CLI on PATH). */
  spawnError?: "ENOENT";
  /** Engine events an `up` sends before it fails. */
  events?: FakeEvent[];
  /** The `up` runs until the caller's AbortSignal fires (the real CLI then gets SIGINT). */
  runUntilAborted?: boolean;
}

interface FakeStack {
  config: Record<string, string>;
  deployedConfig?: string;
  outputs?: Record<string, string>;
  history: object[];
}

const SECRET_OUTPUTS = new Set(["secretAccessKey"]);

const RESOURCES: Array<[type: string, name: string]> = [
  ["pulumi:pulumi:Stack", "census-pinpoint"],
  ["pulumi:providers:aws", "default_7_48_0"],
  ["census-pinpoint:index:CensusPinpointStaging", "census-pinpoint"],
  ["aws:s3/bucket:Bucket", "staging-bucket"],
  ["aws:iam/role:Role", "importer-role"],
  ["aws:iam/user:User", "census-user"],
  ["aws:iam/accessKey:AccessKey", "census-access-key"],
];

export function urnOf(stack: string, type: string, name: string): string {
  return `urn:pulumi:${stack}::census-pinpoint::${type}::${name}`;
}

/** As the engine describes a step: `old` is the resource as it was (custom: a real resource, not a component). */
function metadata(stack: string, op: string, type: string, name: string) {
  const urn = urnOf(stack, type, name);
  return { op, urn, type, provider: "", old: { type, urn, custom: !type.startsWith("census-pinpoint:") && type !== "pulumi:pulumi:Stack", id: name, parent: "", inputs: {}, outputs: {} } };
}

export function resourceEvents(stack: string, op: string, type: string, name: string): FakeEvent[] {
  return [{ resourcePreEvent: { metadata: metadata(stack, op, type, name) } }, { resOutputsEvent: { metadata: metadata(stack, op, type, name) } }];
}

/** A resource step failing with a provider error, as the engine reports it. */
export function failedResourceEvents(stack: string, op: string, type: string, name: string, error: string): FakeEvent[] {
  return [
    { resourcePreEvent: { metadata: metadata(stack, op, type, name) } },
    { diagnosticEvent: { urn: urnOf(stack, type, name), message: `${error}\n`, color: "never", severity: "error" } },
    { resOpFailedEvent: { metadata: metadata(stack, op, type, name), status: 1, steps: 0 } },
  ];
}

export function warningEvent(message: string): FakeEvent {
  return { diagnosticEvent: { message: `${message}\n`, color: "never", severity: "warning" } };
}

/**
 * The error the SDK throws for `pulumi <args>` failing so: its exec wraps execa's message (command
 * line, stderr, stdout) as the result's stderr, code -2, and picks the error class from that text.
 */
export function commandError(args: string[], failure: FakeFailure): Error {
  const commandLine = `pulumi ${args.join(" ")}`;
  const message = failure.spawnError
    ? `Command failed with ENOENT: ${commandLine}\nspawn pulumi ENOENT`
    : [`Command failed with exit code 255: ${commandLine}`, failure.stderr, failure.stdout].filter(Boolean).join("\n");
  return sdk.createCommandError(new sdk.CommandResult("", message, -2, new Error(message)));
}

function flagValue(args: string[], flag: string): string | undefined {
  const at = args.indexOf(flag);
  return at >= 0 ? args[at + 1] : undefined;
}

/**
 * The access key of each generation (see infra/names.ts): AWS's two documented example keys, then
 * made-up ones in their style.
 */
export function fakeAccessKey(generation: number): { id: string; secret: string } {
  if (generation === 1) return { id: TEST_ACCESS_KEY_ID, secret: TEST_SECRET_KEY };
  if (generation === 2) return { id: TEST_SECOND_ACCESS_KEY_ID, secret: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY" };
  return { id: `AKIAEXAMPLEGEN${String(generation).padStart(6, "0")}`, secret: `wJalrXUtnFEMI/K7MDENG/GEN${generation}EXAMPLEKEY` };
}

/**
 * The keys the component keeps: the current generation's, and during a rotation the one before. The
 * first key's creation date is fixed; later ones are created when an `up` first asks for them.
 */
function accessKeyOutputs(config: Record<string, string>, createdAt: (generation: number) => string): Record<string, string> {
  const generation = Number(config["census-pinpoint:accessKeyGeneration"] ?? "1");
  const rotating = config["census-pinpoint:keepPreviousAccessKey"] === "true" && generation > 1;
  const current = fakeAccessKey(generation);
  return {
    accessKeyId: current.id,
    secretAccessKey: current.secret,
    accessKeyCreatedAt: generation === 1 ? "2026-11-01T00:00:00Z" : createdAt(generation),
    ...(rotating ? { previousAccessKeyId: fakeAccessKey(generation - 1).id } : {}),
  };
}

function outputsFor(config: Record<string, string>): Record<string, string> {
  const region = config["aws:region"]!;
  const projectId = config["census-pinpoint:pinpointProjectId"]!;
  const bucket = config["census-pinpoint:bucketName"] ?? `census-pinpoint-staging-${projectId.slice(0, 8)}-${TEST_ACCOUNT_ID}-${region}`;
  const role = config["census-pinpoint:importerRoleName"] ?? `CensusPinpointSegmentImporter-${projectId.slice(0, 8)}`;
  const user = config["census-pinpoint:censusUserName"] ?? `census-pinpoint-${projectId.slice(0, 8)}`;
  return {
    pinpointProjectId: projectId,
    stagingBucketName: bucket,
    importerRoleArn: `arn:aws:iam::${TEST_ACCOUNT_ID}:role/${role}`,
    awsRegion: region,
    stagingBucketArn: `arn:aws:s3:::${bucket}`,
    censusUserArn: `arn:aws:iam::${TEST_ACCOUNT_ID}:user/${user}`,
    censusUserName: user,
  };
}

/**
 * The AWS resources a completed update leaves in the state, with the IDs and outputs the provider
 * records, worked out from the stack outputs (so a test that edits an output, such as the account in
 * an ARN, sees it in the state too).
 */
function exportedResources(stack: string, outputs: Record<string, string>) {
  const account = /^arn:[^:]+:iam::(\d{12}):/.exec(outputs.censusUserArn ?? "")?.[1] ?? TEST_ACCOUNT_ID;
  const user = outputs.censusUserName!;
  const role = outputs.importerRoleArn!.slice(outputs.importerRoleArn!.lastIndexOf("/") + 1);
  const policyArn = (name: string) => `arn:aws:iam::${account}:policy/${name}`;
  const resource = (type: string, name: string, id: string, state: Record<string, string>) => ({ urn: urnOf(stack, type, name), type, id, outputs: state });
  return [
    resource("aws:s3/bucket:Bucket", "staging-bucket", outputs.stagingBucketName!, { bucket: outputs.stagingBucketName!, arn: outputs.stagingBucketArn! }),
    resource("aws:iam/role:Role", "importer-role", role, { name: role, arn: outputs.importerRoleArn! }),
    resource("aws:iam/policy:Policy", "importer-policy", policyArn(`${role}-s3-read`), { name: `${role}-s3-read`, arn: policyArn(`${role}-s3-read`) }),
    resource("aws:iam/user:User", "census-user", user, { name: user, arn: outputs.censusUserArn! }),
    resource("aws:iam/group:Group", "census-group", `${user}-group`, { name: `${user}-group`, arn: `arn:aws:iam::${account}:group/${user}-group` }),
    resource("aws:iam/policy:Policy", "census-policy", policyArn(`${user}-access`), { name: `${user}-access`, arn: policyArn(`${user}-access`) }),
    resource("aws:iam/accessKey:AccessKey", "census-access-key", outputs.accessKeyId!, { user }),
  ];
}

export class FakePulumi {
  readonly command = "pulumi";
  readonly version: SemVer;
  readonly calls: FakeCall[] = [];
  readonly stacks = new Map<string, FakeStack>();
  private readonly pending: Array<{ prefix: string; failure: FakeFailure }> = [];
  private sequence = 0;
  private readonly keysCreated = new Map<string, string>();

  constructor(options: { version?: string } = {}) {
    this.version = new SemVer(options.version ?? "3.210.0");
  }

  /** The next command whose argv starts with `prefix` (e.g. "up", "stack select") fails so. */
  failNext(prefix: string, failure: FakeFailure): void {
    this.pending.push({ prefix, failure });
  }

  callsTo(prefix: string): FakeCall[] {
    return this.calls.filter((call) => call.args.join(" ").startsWith(prefix));
  }

  /** Resolves once a command starting with `prefix` has been called (e.g. an `up` that is now running). */
  async untilCalled(prefix: string): Promise<void> {
    while (this.callsTo(prefix).length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  /** The signature of the SDK's (internal) PulumiCommand.run. */
  run = async (
    args: string[],
    cwd: string,
    env: Record<string, string>,
    onOutput?: (data: string) => void,
    onError?: (data: string) => void,
    signal?: AbortSignal,
  ): Promise<object> => {
    this.calls.push({ args: [...args], cwd, env: { ...env } });
    const line = args.join(" ");
    const at = this.pending.findIndex(({ prefix }) => line.startsWith(prefix));
    if (at >= 0) {
      const { failure } = this.pending.splice(at, 1)[0]!;
      await this.sendEvents(args, failure.events ?? []);
      if (failure.stdout) onOutput?.(failure.stdout);
      if (failure.stderr) onError?.(failure.stderr);
      if (failure.runUntilAborted && !signal?.aborted) await new Promise((done) => signal?.addEventListener("abort", done, { once: true }));
      throw commandError(args, failure);
    }
    return this.answer(args, onOutput);
  };

  private keyCreatedAt(stack: string, generation: number): string {
    const key = `${stack}#${generation}`;
    if (!this.keysCreated.has(key)) this.keysCreated.set(key, new Date().toISOString());
    return this.keysCreated.get(key)!;
  }

  private result(stdout: string): object {
    return new sdk.CommandResult(stdout, "", 0);
  }

  private stack(args: string[]): [string, FakeStack] {
    const name = flagValue(args, "--stack")!;
    const stack = this.stacks.get(name);
    if (!stack) throw commandError(args, { stderr: `error: no stack named '${name}' found` });
    return [name, stack];
  }

  private async answer(args: string[], onOutput?: (data: string) => void): Promise<object> {
    const [first, second] = args;
    if (first === "stack" && second === "select") {
      this.stack(args);
      return this.result("");
    }
    if (first === "stack" && second === "init") {
      const name = args[2]!;
      if (this.stacks.has(name)) throw commandError(args, { stderr: `error: stack '${name}' already exists` });
      this.stacks.set(name, { config: {}, history: [] });
      return this.result(`Created stack '${name}'\n`);
    }
    if (first === "config" && second === "set-all") {
      const [, stack] = this.stack(args);
      args.forEach((arg, i) => {
        if (arg !== "--plaintext" && arg !== "--secret") return;
        const pair = args[i + 1]!;
        stack.config[pair.slice(0, pair.indexOf("="))] = pair.slice(pair.indexOf("=") + 1);
      });
      return this.result("");
    }
    if (first === "config" && second === "refresh") {
      // The fake keeps one config per stack, as the backend would: refreshing restores what it has.
      const [, stack] = this.stack(args);
      if (stack.history.length === 0) throw commandError(args, { stderr: "error: getting latest configuration: no previous deployment" });
      return this.result("");
    }
    if (first === "stack" && second === "change-secrets-provider") {
      this.stack(args);
      return this.result("Migrating old configuration and state to new secrets provider\n");
    }
    if (first === "up") return this.up(args, onOutput);
    if (first === "preview") return this.preview(args);
    if (first === "config" && second === "--show-secrets" && args[2] === "--json") {
      const [, stack] = this.stack(args);
      return this.result(JSON.stringify(Object.fromEntries(Object.entries(stack.config).map(([key, value]) => [key, { value, secret: false }]))));
    }
    if (first === "stack" && second === "ls" && args[2] === "--json") {
      // As the CLI summarises them: lastUpdate only for a stack that had one.
      const summaries = [...this.stacks].map(([name, stack]) => {
        const last = stack.history.at(-1) as { endTime?: string } | undefined;
        return { name, current: false, updateInProgress: false, ...(last?.endTime ? { lastUpdate: last.endTime } : {}) };
      });
      return this.result(JSON.stringify(summaries));
    }
    if (first === "stack" && second === "output") {
      const [, stack] = this.stack(args);
      const show = args.includes("--show-secrets");
      const outputs = Object.fromEntries(Object.entries(stack.outputs ?? {}).map(([key, value]) => [key, !show && SECRET_OUTPUTS.has(key) ? "[secret]" : value]));
      return this.result(JSON.stringify(outputs, null, 2));
    }
    if (first === "stack" && second === "export") {
      const [name, stack] = this.stack(args);
      return this.result(JSON.stringify({ version: 3, deployment: { manifest: {}, resources: stack.outputs === undefined ? [] : exportedResources(name, stack.outputs) } }));
    }
    if (first === "stack" && second === "history") {
      const [, stack] = this.stack(args);
      const size = Number(flagValue(args, "--page-size") ?? stack.history.length);
      return this.result(JSON.stringify([...stack.history].reverse().slice(0, size)));
    }
    if (first === "destroy") return this.destroy(args);
    if (first === "stack" && second === "rm") return this.removeStack(args);
    throw new Error(`fake pulumi: unexpected command: pulumi ${args.join(" ")}`);
  }

  /**
   * `destroy --preview-only` reports the deletes as planning steps and a summary; `destroy` deletes
   * everything (in reverse creation order) and leaves an empty stack with its history.
   */
  private async destroy(args: string[]): Promise<object> {
    const [name, stack] = this.stack(args);
    const deployed = stack.outputs === undefined ? [] : [...RESOURCES].reverse();
    if (args.includes("--preview-only")) {
      await this.sendEvents(args, [
        ...deployed.map(([type, resource]) => ({ resourcePreEvent: { metadata: metadata(name, "delete", type, resource), planning: true } })),
        { summaryEvent: { maybeCorrupt: false, durationSeconds: 0, resourceChanges: { delete: deployed.length }, policyPacks: {} } },
      ]);
      return this.result(`Previewing destroy (${name}):\n\nResources:\n    - ${deployed.length} to delete\n`);
    }
    await this.sendEvents(args, deployed.flatMap(([type, resource]) => resourceEvents(name, "delete", type, resource)));
    stack.outputs = undefined;
    stack.deployedConfig = undefined;
    const now = new Date().toISOString();
    stack.history.push({ version: stack.history.length + 1, kind: "destroy", startTime: now, endTime: now, message: "", environment: {}, config: {}, result: "succeeded", resourceChanges: { delete: deployed.length } });
    return this.result(`Destroying (${name}):\n\nResources:\n    - ${deployed.length} deleted\n`);
  }

  /** `stack rm --yes [--force] <name>`: like the CLI, it refuses a stack that still has resources. */
  private removeStack(args: string[]): object {
    const name = args.at(-1)!;
    const stack = this.stacks.get(name);
    if (!stack) throw commandError(args, { stderr: `error: no stack named '${name}' found` });
    if (stack.outputs !== undefined && !args.includes("--force")) {
      throw commandError(args, { stderr: `error: '${name}' still has resources; removal rejected. Possible actions:\n- Make sure that '${name}' is the stack that you want to destroy\n- Run \`pulumi destroy\` to delete the resources, then run \`pulumi stack rm\`\n- Run \`pulumi stack rm --force\` to override this error` });
    }
    this.stacks.delete(name);
    return this.result(`Stack '${name}' has been removed!\n`);
  }

  private async up(args: string[], onOutput?: (data: string) => void): Promise<object> {
    const [name, stack] = this.stack(args);
    // What the config makes, not how it is written: naming a default explicitly changes nothing.
    const settings = Object.entries(stack.config).filter(([key]) => !/:(bucketName|importerRoleName|censusUserName)$/.test(key));
    const config = JSON.stringify([...settings.sort(), outputsFor(stack.config)]);
    const firstRun = stack.deployedConfig === undefined;
    const opOf = (type: string) => (firstRun ? "create" : config !== stack.deployedConfig && type === "aws:s3/bucket:Bucket" ? "update" : "same");
    await this.sendEvents(
      args,
      RESOURCES.flatMap(([type, resource]) => resourceEvents(name, opOf(type), type, resource)),
    );
    const resourceChanges: Record<string, number> = {};
    for (const [type] of RESOURCES) resourceChanges[opOf(type)] = (resourceChanges[opOf(type)] ?? 0) + 1;
    stack.deployedConfig = config;
    stack.outputs = { ...outputsFor(stack.config), ...accessKeyOutputs(stack.config, (generation) => this.keyCreatedAt(name, generation)) };
    const started = new Date();
    stack.history.push({
      version: stack.history.length + 1,
      kind: "update",
      startTime: started.toISOString(),
      endTime: new Date().toISOString(),
      message: "",
      environment: { "exec.kind": "auto.inline" },
      config: {},
      result: "succeeded",
      resourceChanges,
    });
    // Chunks split mid-line, as a pipe delivers them; the secret is masked, as the real CLI does.
    const stdout = `Updating (${name}):\n\nOutputs:\n    accessKeyId    : "${TEST_ACCESS_KEY_ID}"\n    secretAccessKey: [secret]\n\nResources:\n    ${RESOURCES.length} ${firstRun ? "created" : "unchanged"}\n`;
    for (let i = 0; i < stdout.length; i += 40) onOutput?.(stdout.slice(i, i + 40));
    return this.result(stdout);
  }

  /**
   * A preview that finds nothing to change: the fake does not run the program it would be given, so it
   * cannot know what another config would do. The real engine's previews are proven end to end.
   */
  private async preview(args: string[]): Promise<object> {
    const [name] = this.stack(args);
    await this.sendEvents(
      args,
      [
        ...RESOURCES.map(([type, resource]) => ({ resourcePreEvent: { metadata: metadata(name, "same", type, resource), planning: true } })),
        { summaryEvent: { maybeCorrupt: false, durationSeconds: 0, resourceChanges: { same: RESOURCES.length }, policyPacks: {} } },
      ],
    );
    return this.result(`Previewing update (${name}):\n\nResources:\n    ${RESOURCES.length} unchanged\n`);
  }

  /** The SDK listens on `--event-log`: a gRPC address for CLIs above 3.205, else a file it tails. */
  private async sendEvents(args: string[], events: FakeEvent[]): Promise<void> {
    const target = flagValue(args, "--event-log");
    if (!target || events.length === 0) return;
    const lines = events.map((event) => JSON.stringify({ sequence: this.sequence++, timestamp: Math.floor(Date.now() / 1000), ...event }));
    if (!target.startsWith("tcp://")) {
      appendFileSync(target, lines.map((line) => `${line}\n`).join(""));
      return;
    }
    const client = new EventsClient(target.slice("tcp://".length), grpc.credentials.createInsecure());
    try {
      await new Promise<void>((done, fail) => {
        const call = client.streamEvents((error) => (error ? fail(error) : done()));
        for (const line of lines) call.write(new EventRequest().setEvent(line));
        call.end();
      });
    } finally {
      client.close();
    }
  }
}
