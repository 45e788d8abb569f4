// doctor's decisions, one pure function each: Node's version, the region, which identity the policy
// simulator can be asked about, the verdict from its answers, the exit decision, the passphrase proof,
// the file backend's writability, and the rendering (80 columns).
import type { PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ADMIN_PERMISSIONS, adminResourceArn, type AdminScope } from "../../../infra/adminPermissions.js";
import { checkBackend } from "../../../wizard/doctor/backend.js";
import { checkNode, NODE_20_NOTE } from "../../../wizard/doctor/node.js";
import { permissionVerdict, principalOf } from "../../../wizard/doctor/permissions.js";
import { checkRegion } from "../../../wizard/doctor/region.js";
import { checkOf, doctorFailure, reportOf, type DoctorCheck } from "../../../wizard/doctor/report.js";
import { passphraseOpens } from "../../../wizard/doctor/secrets.js";
import { AwsCredentialsError, EXIT, exitCodeFor, VerificationError } from "../../../wizard/errors.js";
import { wrapWords } from "../../../wizard/layout/wrap.js";
import { createRenderer } from "../../../wizard/render.js";

describe("Node.js", () => {
  it("22 and newer are ok", () => {
    expect(checkNode("v22.12.0")).toMatchObject({ id: "node", status: "ok", detail: "Node.js 22.12.0" });
    expect(checkNode("v24.1.0").status).toBe("ok");
  });

  it("Node 20.19 and later work, with the end-of-life note of the README", () => {
    const check = checkNode("v20.19.0");
    expect(check).toMatchObject({ status: "warn", detail: "Node.js 20.19.0: works, but past its end of life", fix: NODE_20_NOTE });
    expect(check.fix).toContain("Node 20 is past its end of life");
    expect(check.fix).toContain("first week of January 2027");
  });

  it("older than 20.19 is to fix", () => {
    expect(checkNode("v20.18.3")).toMatchObject({ status: "fail", detail: "Node.js 20.18.3; census-pinpoint needs 20.19 or newer" });
    expect(checkNode("v18.20.0").status).toBe("fail");
  });
});

describe("region", () => {
  it("a Pinpoint region is ok and says where it came from", () => {
    expect(checkRegion("eu-west-1", 'AWS profile "admin"')).toEqual({
      region: "eu-west-1",
      check: { id: "region", status: "ok", what: "AWS region with Amazon Pinpoint", detail: 'eu-west-1 (from AWS profile "admin"): Amazon Pinpoint is offered there' },
    });
  });

  it("a region without Pinpoint is to fix, with the regions that have it", () => {
    const { check, region } = checkRegion("eu-north-1", "AWS_REGION");
    expect(region).toBeUndefined();
    expect(check).toMatchObject({ status: "fail", detail: "eu-north-1 (from AWS_REGION)" });
    expect(check.fix).toMatch(/^Amazon Pinpoint is not available in eu-north-1\. Use the region of your Pinpoint project, one of: us-east-1, /);
  });

  it("no region at all is a warning: setup asks for it", () => {
    expect(checkRegion(undefined, undefined).check).toMatchObject({ status: "warn", detail: "no region set" });
  });
});

describe("the identity the policy simulator is asked about", () => {
  it("an IAM user as is; moto's sts user as the IAM user", () => {
    expect(principalOf("arn:aws:iam::123456789012:user/admin")).toEqual({ kind: "arn", arn: "arn:aws:iam::123456789012:user/admin" });
    expect(principalOf("arn:aws:sts::123456789012:user/moto")).toEqual({ kind: "arn", arn: "arn:aws:iam::123456789012:user/moto" });
  });

  it("an assumed-role session: its role (GetRole gives the path)", () => {
    expect(principalOf("arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123/jane@example.com")).toEqual({
      kind: "role",
      name: "AWSReservedSSO_Admin_0123",
      fallbackArn: "arn:aws:iam::123456789012:role/AWSReservedSSO_Admin_0123",
    });
  });

  it("the root user and a federated user cannot be simulated", () => {
    expect(principalOf("arn:aws:iam::123456789012:root")).toEqual({ kind: "root" });
    expect(principalOf("arn:aws:sts::123456789012:federated-user/bob").kind).toBe("unsupported");
  });
});

describe("the verdict from the simulator's decisions", () => {
  const scope: AdminScope = { accountId: "123456789012", region: "us-east-1", projectId: "0123456789abcdef0123456789abcdef" };
  const principal = "arn:aws:iam::123456789012:user/admin";
  const allAllowed = () =>
    new Map<string, "allowed" | "explicitDeny" | "implicitDeny">(
      Object.values(ADMIN_PERMISSIONS).flatMap((list) => list.map(({ action, resource }) => [`${action} ${adminResourceArn(resource, scope)}`, "allowed" as const])),
    );

  it("everything allowed: ok, naming the identity and the names asked about", () => {
    const check = permissionVerdict("teardown", allAllowed(), scope, principal);
    expect(check.status).toBe("ok");
    expect(check.detail).toMatch(/^all \d+ allowed for arn:aws:iam::123456789012:user\/admin \(on the names of project 0123456789abcdef0123456789abcdef in us-east-1\)$/);
  });

  it("a denied action is named, and the fix points at docs/permissions.md", () => {
    const decisions = allAllowed();
    decisions.set(`iam:CreateRole ${adminResourceArn("role", scope)}`, "implicitDeny");
    const check = permissionVerdict("setup", decisions, scope, principal);
    expect(check.status).toBe("fail");
    expect(check.detail).toMatch(/^1 of \d+ denied for arn:aws:iam::123456789012:user\/admin: iam:CreateRole \(on the names/);
    expect(check.fix).toContain("docs/permissions.md");
    // rotate-key does not need it.
    expect(permissionVerdict("rotate-key", decisions, scope, principal).status).toBe("ok");
  });

  it("an explicit deny says so; an action without an answer counts as denied", () => {
    const decisions = allAllowed();
    decisions.set(`iam:DeleteAccessKey ${adminResourceArn("user", scope)}`, "explicitDeny");
    decisions.delete(`iam:CreateAccessKey ${adminResourceArn("user", scope)}`);
    const check = permissionVerdict("rotate-key", decisions, scope, principal);
    expect(check.detail).toContain("2 of");
    expect(check.detail).toContain("(some explicitly): iam:CreateAccessKey, iam:DeleteAccessKey");
    expect(check.fix).toMatch(/^An explicit Deny/);
  });
});

describe("the exit decision", () => {
  const CHECK = checkOf("backend", "State backend");
  const credentials = checkOf("aws-credentials", "AWS credentials");

  it("nothing failed: exit 0, warnings and unchecked included", () => {
    const report = reportOf([CHECK.ok("fine"), checkNode("v20.19.0"), CHECK.unchecked("could not check: x", "y")], false);
    expect(report.ok).toBe(true);
    expect(doctorFailure(report, { json: false })).toBeUndefined();
  });

  it("a failed check: VerificationError, exit 5", () => {
    const failure = doctorFailure(reportOf([CHECK.ok("fine"), CHECK.fail("broken", "fix it")], false), { json: false });
    expect(failure).toBeInstanceOf(VerificationError);
    expect(failure?.message).toBe("1 of 2 checks needs fixing.");
    expect(exitCodeFor(failure)).toBe(EXIT.verification);
  });

  it("no credentials: AwsCredentialsError with their own message, exit 3", () => {
    const report = reportOf([credentials.fail("No AWS credentials found.", "Choose credentials with --profile <name>."), CHECK.fail("broken", "fix it")], true);
    const failure = doctorFailure(report, { json: true });
    expect(failure).toBeInstanceOf(AwsCredentialsError);
    expect(failure?.message).toBe("No AWS credentials found.");
    expect(exitCodeFor(failure)).toBe(EXIT.aws);
  });
});

describe("a stack's passphrase, proven on its encryption salt", () => {
  // Made by `pulumi stack init` (CLI 3.248) with PULUMI_CONFIG_PASSPHRASE=hunter2.
  const SALT = "v1:DLeZz3y/ooo=:v1:jBp9Kqg8x7hsJioY:bzyOg5ogu44lU5v27kefl0Ne7ZRmqw==";

  it("the stack's passphrase opens it; another does not; an unknown format is not judged", async () => {
    expect(await passphraseOpens("hunter2", SALT)).toBe(true);
    expect(await passphraseOpens("hunter3", SALT)).toBe(false);
    expect(await passphraseOpens("hunter2", "v2:something")).toBeUndefined();
  });
});

describe("a file backend", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "census-pinpoint-doctor-"));
  });
  afterEach(() => {
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  });

  it("writable: a test file is made and removed", async () => {
    const check = await checkBackend(`file://${dir}`, { env: {} });
    expect(check).toMatchObject({ status: "ok", detail: `file://${dir}: writable (a test file was made and removed)` });
    expect(readdirSync(dir)).toEqual([]);
  });

  it("not made yet: ok when it can be, and nothing is made", async () => {
    const check = await checkBackend(`file://${dir}/home/state`, { env: {} });
    expect(check).toMatchObject({ status: "ok", detail: `file://${dir}/home/state: not made yet; setup creates it (${dir} is writable)` });
    expect(readdirSync(dir)).toEqual([]);
  });

  it("a file where the folder should be", async () => {
    writeFileSync(join(dir, "state"), "");
    expect((await checkBackend(`file://${dir}/state`, { env: {} })).status).toBe("fail");
  });

  const root = process.getuid?.() === 0;
  (root ? it.skip : it)(`a folder without write permission (mode 500) is to fix${root ? " (skipped: root writes anyway)" : ""}`, async () => {
    const state = join(dir, "state");
    mkdirSync(state);
    chmodSync(state, 0o500);
    try {
      const check = await checkBackend(`file://${state}`, { env: {} });
      expect(check).toMatchObject({ status: "fail", detail: `file://${state}: not writable (EACCES)` });
    } finally {
      chmodSync(state, 0o700);
    }
  });
});

describe("other backends", () => {
  const cli = (run: () => Promise<{ stdout: string; stderr: string; code: number }>) => ({ run }) as unknown as PulumiCommand;

  it("Pulumi Cloud: a token is enough; else `pulumi whoami` says who is logged in, or that nobody is", async () => {
    expect(await checkBackend("https://api.pulumi.com", { env: { PULUMI_ACCESS_TOKEN: "pul-x" } })).toMatchObject({ status: "ok", detail: expect.stringContaining("PULUMI_ACCESS_TOKEN is set") });
    const loggedIn = cli(async () => ({ stdout: "jane\n", stderr: "", code: 0 }));
    expect(await checkBackend("https://api.pulumi.com", { env: {}, pulumiCommand: loggedIn })).toMatchObject({ status: "ok", detail: "https://api.pulumi.com: logged in as jane" });
    const nobody = cli(async () => Promise.reject(new Error("no credentials")));
    expect(await checkBackend("https://api.pulumi.com", { env: {}, pulumiCommand: nobody })).toMatchObject({
      status: "fail",
      fix: "Run `pulumi login https://api.pulumi.com`, or set PULUMI_ACCESS_TOKEN.",
    });
  });

  it("another scheme is not judged", async () => {
    expect((await checkBackend("gs://team-state", { env: {} })).status).toBe("unchecked");
  });
});

describe("rendering", () => {
  it("wraps words at the width, an over-long word on a line of its own", () => {
    expect(wrapWords("aaa bbb ccc", 9, "  ")).toEqual(["  aaa bbb", "  ccc"]);
    expect(wrapWords("x arn:aws:iam::123456789012:role/very-long y", 12, " ")).toEqual([" x", " arn:aws:iam::123456789012:role/very-long", " y"]);
  });

  it("one line per check with ✔/⚠/✘, the fix under what is not ok, nothing beyond 80 columns", () => {
    let out = "";
    const render = createRenderer({ stdout: { write: (text: string) => (out += text) }, stderr: { write: () => true }, env: { NO_COLOR: "1" } });
    const checks: DoctorCheck[] = [
      checkOf("node", "Node.js version").ok("Node.js 22.12.0"),
      checkNode("v20.19.0"),
      checkOf("permissions-setup", "Permissions for setup").unchecked("could not check: AWS denied iam:SimulatePrincipalPolicy", "Compare your permissions with docs/permissions.md."),
      checkOf("backend", "State backend reachable and writable").fail("file:///tmp/x: not writable (EACCES)", "Fix its permissions."),
    ];
    render.doctor(reportOf(checks, false));
    const lines = out.trimEnd().split("\n");
    expect(lines[0]).toBe("✔ Node.js version: Node.js 22.12.0");
    expect(lines[1]).toBe("⚠ Node.js version: Node.js 20.19.0: works, but past its end of life");
    expect(lines[2]).toMatch(/^ {4}Node 20 is past its end of life\./);
    expect(lines).toContain("⚠ Permissions for setup: could not check: AWS denied iam:SimulatePrincipalPolicy");
    expect(lines).toContain("✘ State backend reachable and writable: file:///tmp/x: not writable (EACCES)");
    expect(lines.at(-1)).toBe("    Fix its permissions.");
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
  });

  it("says when there is nothing to fix", () => {
    let out = "";
    const render = createRenderer({ stdout: { write: (text: string) => (out += text) }, stderr: { write: () => true }, env: { NO_COLOR: "1" } });
    render.doctor(reportOf([checkNode("v20.19.0"), checkOf("node", "Node.js version").ok("fine")], false));
    expect(out.trimEnd().split("\n").at(-1)).toBe("Nothing to fix (1 warning).");
  });
});
