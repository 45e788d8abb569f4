// docs/permissions.md is generated from the policy builders; these tests keep the committed file, the
// explanations and the builders in step.
import { existsSync, readFileSync } from "node:fs";
import { renderPermissionsDoc, STATEMENT_EXPLANATIONS, type PolicyKey, type StatementExplanations } from "../../scripts/permissionsDoc.js";
import { censusAccessPolicy, importerRolePolicy, tlsOnlyBucketPolicy, type CensusAccessScope } from "../../infra/policies.js";
import { importerTrustPolicy } from "../../infra/trustPolicy.js";

const DOC = new URL("../../docs/permissions.md", import.meta.url);
const REGENERATE = "npm run docs";
const committed = existsSync(DOC) ? readFileSync(DOC, "utf8") : "";

// Another region and account than the document's example, so a Sid that depends on them is still seen.
const scope: CensusAccessScope = {
  partition: "aws",
  region: "eu-west-1",
  accountId: "210987654321",
  projectId: "fedcba9876543210fedcba9876543210",
  bucketName: "census-staging",
  importerRoleArn: "arn:aws:iam::210987654321:role/CensusPinpointSegmentImporter-fedcba98",
};
const KMS_KEY = "arn:aws:kms:eu-west-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab";

const sidsByPolicy: [PolicyKey, string][] = [{}, { kmsKeyArn: KMS_KEY }].flatMap((kms) => {
  const variant = { ...scope, ...kms };
  const documents = {
    importerTrust: importerTrustPolicy(variant),
    importerAccess: importerRolePolicy(variant),
    censusAccess: censusAccessPolicy(variant),
    bucket: tlsOnlyBucketPolicy(variant),
  };
  return Object.entries(documents).flatMap(([key, document]) => document.Statement.map((s): [PolicyKey, string] => [key as PolicyKey, s.Sid]));
});
const uniqueSids = [...new Map(sidsByPolicy.map(([key, sid]) => [`${key}.${sid}`, [key, sid] as const])).values()];

test("the committed docs/permissions.md is exactly what the generator renders", () => {
  const rendered = renderPermissionsDoc();
  if (committed === rendered) return;
  const [committedLines, renderedLines] = [committed.split("\n"), rendered.split("\n")];
  let line = 0;
  while (committedLines[line] === renderedLines[line]) line++;
  throw new Error(
    `docs/permissions.md is out of date with the policy builders (first difference at line ${line + 1}); run \`${REGENERATE}\` and commit the result.\n` +
      `  committed: ${committedLines[line] ?? "(end of file)"}\n  generated: ${renderedLines[line] ?? "(end of file)"}`,
  );
});

test.each(uniqueSids)("docs/permissions.md describes %s statement %s", (_key, sid) => {
  expect(committed).toContain(`### \`${sid}\``);
});

function explanationsWithout(key: PolicyKey, sid: string): StatementExplanations {
  const { [sid]: _dropped, ...rest } = STATEMENT_EXPLANATIONS[key];
  return { ...STATEMENT_EXPLANATIONS, [key]: rest };
}

test.each(uniqueSids)("rendering fails when %s statement %s has no explanation", (key, sid) => {
  expect(() => renderPermissionsDoc(explanationsWithout(key, sid))).toThrow(`Statement "${sid}" of the`);
});

test("rendering fails when an explanation names a statement the builders no longer produce", () => {
  const stale = { ...STATEMENT_EXPLANATIONS, bucket: { ...STATEMENT_EXPLANATIONS.bucket, AllowPublicRead: { allows: "x", why: "y" } } };
  expect(() => renderPermissionsDoc(stale)).toThrow(/"AllowPublicRead", which the bucket policy no longer has/);
});
