// The metadata files a killed run can leave empty in a local backend: removed for this project only,
// and never a state file.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { ProgressEvent } from "../../../wizard/progress.js";
import { removeTruncatedMetadata } from "../../../wizard/pulumi/truncatedMetadata.js";

const VALID = '{"user.content_type":"text/plain; charset=utf-8","md5":"XZ33mDYep9ZMQWW8/bInTA=="}\n';
let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "census-pinpoint-backend-"));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function put(path: string, content: string): string {
  const file = join(root, ".pulumi", path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

test("empty or cut-short metadata files of this project go, with one warning naming them; state files and others' files stay", async () => {
  const state = put("stacks/census-pinpoint/us-east-1-a.json", '{"version":3}');
  const empty = put("stacks/census-pinpoint/us-east-1-a.json.attrs", "");
  const cut = put("history/census-pinpoint/us-east-1-a/us-east-1-a-1.history.json.attrs", '{"user.cache_con');
  const good = put("backups/census-pinpoint/us-east-1-a/us-east-1-a.1.json.attrs", VALID);
  const otherProject = put("stacks/other-project/dev.json.attrs", "");
  const shared = put("meta.yaml.attrs", "");
  const events: ProgressEvent[] = [];

  const removed = await removeTruncatedMetadata(`file://${root}?no_tmp_dir=true`, (event) => events.push(event));

  expect(removed.sort()).toEqual([
    ".pulumi/history/census-pinpoint/us-east-1-a/us-east-1-a-1.history.json.attrs",
    ".pulumi/stacks/census-pinpoint/us-east-1-a.json.attrs",
  ]);
  expect([existsSync(empty), existsSync(cut)]).toEqual([false, false]);
  expect([readFileSync(state, "utf8"), readFileSync(good, "utf8")]).toEqual(['{"version":3}', VALID]);
  expect([existsSync(otherProject), existsSync(shared)]).toEqual([true, true]);
  expect(events).toEqual([{ kind: "warning", message: expect.stringMatching(/^A run that was stopped abruptly left 2 metadata files of the state empty \(.*\), which Pulumi cannot read; removed/) }]);
});

test("a sound backend, a missing folder and a backend that is not local are left alone, silently", async () => {
  put("stacks/census-pinpoint/us-east-1-a.json.attrs", VALID);
  const events: ProgressEvent[] = [];
  const report = (event: ProgressEvent) => events.push(event);
  expect(await removeTruncatedMetadata(`file://${root}`, report)).toEqual([]);
  expect(await removeTruncatedMetadata(`file://${join(root, "missing")}`, report)).toEqual([]);
  expect(await removeTruncatedMetadata("s3://bucket/state?region=us-east-1", report)).toEqual([]);
  expect(events).toEqual([]);
});
