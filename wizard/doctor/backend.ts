/**
 * Whether the state backend is reachable and writable. A file backend: a temporary file made and
 * removed in its folder (or, before the first setup, the nearest folder that exists is writable, so it
 * can be made). An S3 backend: HeadBucket only; doctor writes nothing into a team's state bucket, so
 * its writability is not proven. Pulumi Cloud: an access token, or `pulumi whoami`.
 */
import type { PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import { constants } from "node:fs";
import { access, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { defaultBackendUrl, type HomePaths } from "../home.js";
import { CliError } from "../errors.js";
import { isServiceBackend, localPath } from "../pulumi/backend.js";
import type { AwsTarget } from "../aws/target.js";
import { checkOf, type DoctorCheck } from "./report.js";

const CHECK = checkOf("backend", "State backend reachable and writable");

/** Like resolveBackendUrl, without creating the default folder: doctor changes nothing. */
export function backendUrlOf(flag: string | undefined, env: NodeJS.ProcessEnv, home: HomePaths): { url: string; source: string } {
  if (flag) return { url: flag, source: "--backend-url" };
  if (env.PULUMI_BACKEND_URL) return { url: env.PULUMI_BACKEND_URL, source: "PULUMI_BACKEND_URL" };
  return { url: defaultBackendUrl(home), source: "the default" };
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function fileBackend(url: string): Promise<DoctorCheck> {
  const folder = localPath(url.replace(/\?.*$/, ""));
  const otherFolder = "Fix its permissions (the user running census-pinpoint must write there), or pass --backend-url with another backend.";
  if (!(await exists(folder))) {
    let parent = dirname(folder);
    while (parent !== dirname(parent) && !(await exists(parent))) parent = dirname(parent);
    try {
      await access(parent, constants.W_OK);
      return CHECK.ok(`${url}: not made yet; setup creates it (${parent} is writable)`);
    } catch (error) {
      return CHECK.fail(`${url}: not made yet, and ${parent} is not writable (${errorCode(error)})`, otherFolder);
    }
  }
  if (!(await stat(folder)).isDirectory()) return CHECK.fail(`${url}: ${folder} is a file, not a folder`, "Point --backend-url (or PULUMI_BACKEND_URL) at a folder.");
  const probe = join(folder, `.census-pinpoint-doctor-${process.pid}`);
  try {
    await writeFile(probe, "", { mode: 0o600, flag: "wx" });
  } catch (error) {
    return CHECK.fail(`${url}: not writable (${errorCode(error)})`, otherFolder);
  } finally {
    await rm(probe, { force: true });
  }
  return CHECK.ok(`${url}: writable (a test file was made and removed)`);
}

async function s3Backend(url: string, target: AwsTarget | undefined): Promise<DoctorCheck> {
  const parsed = new URL(url);
  const bucket = parsed.hostname;
  if (target === undefined) return CHECK.unchecked(`${url}: could not check without AWS credentials`, "Fix the AWS credentials first.");
  const region = parsed.searchParams.get("region") ?? target.region;
  const { bucketAvailability } = await import("../aws/bucket.js");
  try {
    const answer = await bucketAvailability({ ...target, region }, bucket);
    if (answer.status === "free") return CHECK.fail(`${url}: there is no bucket ${bucket}`, "Create the state bucket, or pass the --backend-url your team uses.");
    if (answer.status === "taken") return CHECK.fail(`${url}: S3 refused HeadBucket on ${bucket} (HTTP 403)`, `Ask for s3:ListBucket, s3:GetObject, s3:PutObject and s3:DeleteObject on ${bucket}, or use the profile your team uses (--profile).`);
    return CHECK.ok(`${url}: bucket ${bucket} answers HeadBucket; not written to (doctor writes nothing into a state bucket)`);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    return CHECK.fail(`${url}: ${error.message}`, error.hint ?? "Check the bucket name and your network.");
  }
}

/** The SDK's internal `run`, which LocalWorkspace uses too; absent from its typings (test/wizard/pulumi/sdkPrivateMembers.test.ts). */
interface RunnableCli {
  run(args: string[], cwd: string, env: Record<string, string>): Promise<{ stdout: string; stderr: string; code: number }>;
}

async function serviceBackend(url: string, env: NodeJS.ProcessEnv, command: PulumiCommand | undefined): Promise<DoctorCheck> {
  if (env.PULUMI_ACCESS_TOKEN) return CHECK.ok(`${url}: PULUMI_ACCESS_TOKEN is set (not tried: doctor makes no call with it)`);
  if (command === undefined) return CHECK.unchecked(`${url}: could not check without a Pulumi CLI (above)`, "Install the Pulumi CLI first.");
  try {
    const { stdout } = await (command as unknown as RunnableCli).run(["whoami"], tmpdir(), { PULUMI_BACKEND_URL: url, PULUMI_SKIP_UPDATE_CHECK: "true" });
    return CHECK.ok(`${url}: logged in as ${stdout.trim().split("\n")[0]}`);
  } catch {
    return CHECK.fail(`${url}: not logged in (no PULUMI_ACCESS_TOKEN, and \`pulumi whoami\` failed)`, `Run \`pulumi login ${url}\`, or set PULUMI_ACCESS_TOKEN.`);
  }
}

export async function checkBackend(
  url: string,
  options: { env: NodeJS.ProcessEnv; aws?: AwsTarget; pulumiCommand?: PulumiCommand },
): Promise<DoctorCheck> {
  if (url.startsWith("file://") || !url.includes("://")) return fileBackend(url);
  if (url.startsWith("s3://")) return s3Backend(url, options.aws);
  if (isServiceBackend(url)) return serviceBackend(url, options.env, options.pulumiCommand);
  return CHECK.unchecked(`${url}: doctor checks file://, s3:// and Pulumi Cloud backends only`, "Check that the Pulumi CLI can use it: `pulumi login <url>` then `pulumi stack ls`.");
}
