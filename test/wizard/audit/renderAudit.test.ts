// How `audit` reads on a terminal: per area what passed, each finding with severity, evidence, how it
// was found and its fix, what could not be read, the verdict last; prose wrapped at the terminal's
// width, commands and policy documents kept whole so they can be pasted.
import type { AuditReport } from "../../../wizard/audit/report.js";
import { createRenderer } from "../../../wizard/render.js";

const ROLE_ARN = "arn:aws:iam::123456789012:role/CensusPinpointImporter";
const POLICY_COMMAND = `aws s3api put-bucket-policy --bucket census-staging --policy '{"Version":"2012-10-17","Statement":[]}'`;

const REPORT: AuditReport = {
  ok: false,
  verdict: "2 findings: 1 critical, 1 medium; not fully audited: Census's identity",
  subject: {
    region: "eu-west-1",
    projectId: "0123456789abcdef0123456789abcdef",
    bucketName: "census-staging",
    importerRoleArn: ROLE_ARN,
    census: 'the access key in AWS profile "census"',
  },
  areas: [
    {
      area: "importer-role",
      passed: ["Only Amazon Pinpoint may assume the role"],
      findings: [
        {
          id: "role-reads-every-bucket",
          area: "importer-role",
          severity: "critical",
          problem: "AmazonS3ReadOnlyAccess lets Pinpoint's role read all 3 buckets of this account, not only the staging bucket.",
          evidence: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess attached to role CensusPinpointImporter", "s3:GetObject on arn:aws:s3:::payroll/*: allowed"],
          fix: 'Detach it and attach a policy for the staging bucket alone:\n{\n  "Version": "2012-10-17"\n}',
          method: "simulated",
        },
      ],
    },
    { area: "census-identity", passed: [], findings: [], skipped: "IAM refused GetUser." },
    {
      area: "bucket",
      passed: [],
      findings: [
        {
          id: "bucket-tls-not-required",
          area: "bucket",
          severity: "medium",
          control: "S3.5",
          problem: "Bucket census-staging accepts requests without TLS: its bucket policy does not deny aws:SecureTransport = false.",
          evidence: ["GetBucketPolicy on census-staging: no bucket policy"],
          fix: `Add a bucket policy denying every request without TLS:\n${POLICY_COMMAND}`,
          method: "api",
        },
      ],
    },
    { area: "pinpoint-project", passed: ['Pinpoint project 0123456789abcdef0123456789abcdef ("Marketing") answers in eu-west-1'], findings: [] },
  ],
  findings: [],
};

function render(report: AuditReport, columns?: number): string {
  let text = "";
  const stdout = { write: (chunk: string) => (text += chunk), columns };
  createRenderer({ stdout, stderr: { write: () => true }, env: { NO_COLOR: "1" } }).audit(report);
  return text;
}

test("wraps prose at the terminal's width, keeps commands and documents whole, ends with the verdict", () => {
  expect(render(REPORT, 60).split("\n")).toEqual([
    "Audit of a setup made by hand: Pinpoint project",
    "0123456789abcdef0123456789abcdef in eu-west-1",
    `  Importer role   ${ROLE_ARN}`,
    `  Census's key    the access key in AWS profile "census"`,
    "  Staging bucket  census-staging",
    "",
    "Importer role",
    "✔ Only Amazon Pinpoint may assume the role",
    "✘ [critical] AmazonS3ReadOnlyAccess lets Pinpoint's role",
    "  read all 3 buckets of this account, not only the staging",
    "  bucket.",
    "    Evidence:",
    "      - arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
    "        attached to role CensusPinpointImporter",
    "      - s3:GetObject on arn:aws:s3:::payroll/*: allowed",
    "    How it was found: IAM policy simulator",
    "    Fix:",
    "      Detach it and attach a policy for the staging bucket",
    "      alone:",
    "      {",
    '        "Version": "2012-10-17"',
    "      }",
    "",
    "Census's identity",
    "– Not audited: IAM refused GetUser.",
    "",
    "Staging bucket",
    "✘ [medium, S3.5] Bucket census-staging accepts requests",
    "  without TLS: its bucket policy does not deny",
    "  aws:SecureTransport = false.",
    "    Evidence:",
    "      - GetBucketPolicy on census-staging: no bucket policy",
    "    How it was found: AWS API",
    "    Fix:",
    "      Add a bucket policy denying every request without TLS:",
    `      ${POLICY_COMMAND}`,
    "",
    "Pinpoint project",
    "✔ Pinpoint project 0123456789abcdef0123456789abcdef",
    '  ("Marketing") answers in eu-west-1',
    "",
    "2 findings: 1 critical, 1 medium; not fully audited:",
    "Census's identity.",
    "",
  ]);
});

test("without a known width (a pipe) it wraps at 80; a stack's audit names the stack", () => {
  const text = render({ ...REPORT, subject: { ...REPORT.subject, stackName: "eu-west-1-0123456789abcdef0123456789abcdef" } });
  const lines = text.split("\n");
  expect(lines[0]).toBe("Audit of stack eu-west-1-0123456789abcdef0123456789abcdef: Pinpoint project");
  expect(lines).toContain("✘ [critical] AmazonS3ReadOnlyAccess lets Pinpoint's role read all 3 buckets of");
  expect(lines.filter((line) => line.length > 80)).toEqual([`      ${POLICY_COMMAND}`]);
});

test("the severity is coloured when colour is on; the words stay the same", () => {
  let text = "";
  const stdout = { write: (chunk: string) => (text += chunk), isTTY: true, columns: 100 };
  createRenderer({ stdout, stderr: { write: () => true }, env: { FORCE_COLOR: "1" } }).audit(REPORT);
  expect(text).toContain("\x1b[31m\x1b[1m[critical]\x1b[22m\x1b[39m AmazonS3ReadOnlyAccess");
  expect(text).toContain("\x1b[33m[medium, S3.5]\x1b[39m Bucket census-staging");
  expect(text.replace(/\x1b\[[\d;]*m/g, "")).toBe(render(REPORT, 100));
});
