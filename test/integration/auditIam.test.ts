// audit's two IAM areas against moto (with AWS managed policies loaded): a setup made by hand the way
// Census's guide says, and one made the way the stack makes it. moto has no policy simulator (HTTP
// 500), so every finding about rights is reached by reading the policies, and says so.
import { auditCensusIdentity } from "../../wizard/audit/identityAudit.js";
import type { AreaResult, AuditFinding, AuditOptions, AuditSubject } from "../../wizard/audit/report.js";
import { auditImporterRole } from "../../wizard/audit/roleAudit.js";
import { buildGuideSetupAsOwner, GUIDE_MOTO_ENV, type GuideSetup } from "../helpers/guideSetup.js";
import { DUMMY_CREDENTIALS, MOTO_ACCOUNT_ID, useCredentialsFile, useMoto } from "../helpers/moto.js";
import { createMotoStaging } from "../helpers/motoStaging.js";

const REGION = "eu-west-1";
const PROJECT = "0123456789abcdef0123456789abcdef";
const BUCKET = "census-pinpoint-staging-guide";
const DAY_MS = 24 * 60 * 60 * 1000;

// audit only reads: one setup serves every test (moto takes seconds to load AWS's managed policies).
const moto = useMoto({ env: GUIDE_MOTO_ENV, resetBeforeEach: false });

let guide: GuideSetup;

beforeAll(async () => {
  guide = await buildGuideSetupAsOwner({ bucketName: BUCKET, region: REGION, otherBuckets: ["finance-exports", "website-assets"] });
});

/** A profile holding Census's key. */
function censusKeyProfile(key = guide.censusKey): string {
  useCredentialsFile(moto.aws, { census: key });
  return "census";
}

function guideSubject(census: AuditSubject["census"]): AuditSubject {
  return { region: REGION, projectId: PROJECT, bucketName: BUCKET, importerRoleArn: guide.roleArn, census, admin: { region: REGION, credentials: DUMMY_CREDENTIALS, env: process.env } };
}

function options(now = Date.now()): AuditOptions {
  return { onProgress: () => {}, now };
}

function byId(area: AreaResult, id: string): AuditFinding {
  const found = area.findings.find((finding) => finding.id === id);
  if (!found) throw new Error(`no finding ${id} among ${area.findings.map((finding) => finding.id).join(", ")}`);
  return found;
}

describe("the importer role the guide makes", () => {
  test("is trusted by Pinpoint with no conditions, and AmazonS3ReadOnlyAccess lets it read all 3 buckets", async () => {
    const area = await auditImporterRole(guideSubject({ kind: "user", userName: guide.userName }), options());

    expect(area.skipped).toBeUndefined();
    expect(area.findings.map((finding) => [finding.id, finding.severity])).toEqual([
      ["role-trust-unconditioned", "high"],
      ["role-policy-every-bucket", "high"],
    ]);
    const trust = byId(area, "role-trust-unconditioned");
    expect(trust.evidence[0]).toContain('"Principal":{"Service":"pinpoint.amazonaws.com"}');
    expect(trust.fix).toContain(`aws iam update-assume-role-policy --role-name ${guide.roleName} --policy-document '`);
    expect(trust.fix).toContain(`"aws:SourceArn":["arn:aws:mobiletargeting:${REGION}:${MOTO_ACCOUNT_ID}:apps/${PROJECT}","arn:aws:mobiletargeting:${REGION}:${MOTO_ACCOUNT_ID}:apps/${PROJECT}/*"]`);

    const s3 = byId(area, "role-policy-every-bucket");
    expect(s3.problem).toBe(
      `The AWS managed policy AmazonS3ReadOnlyAccess lets Pinpoint's role read all 3 buckets of this account. Pinpoint needs only to read the staging bucket ${BUCKET}.`,
    );
    expect(s3.method).toBe("policy-read");
    expect(s3.evidence).toContainEqual(expect.stringMatching(/^Read from the policy documents: IAM's policy simulator gave no answer \(.*HTTP 500.*moto/));
    expect(s3.fix).toContain(`aws iam detach-role-policy --role-name ${guide.roleName} --policy-arn arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess`);
    expect(s3.fix).toContain(`"Resource":"arn:aws:s3:::${BUCKET}/*"`);
    expect(area.passed).toContain(`Role ${guide.roleName} may read the staging bucket ${BUCKET} (s3:GetObject, s3:ListBucket)`);
  });

  test("a role that is not there is not audited, and says why", async () => {
    const subject = { ...guideSubject({ kind: "user", userName: guide.userName }), importerRoleArn: `arn:aws:iam::${MOTO_ACCOUNT_ID}:role/NotThere` };
    const area = await auditImporterRole(subject, options());
    expect(area).toMatchObject({ findings: [], skipped: `there is no role NotThere in account ${MOTO_ACCOUNT_ID} (check --role-arn)` });
  });
});

describe("Census's key from the guide: a person's own user", () => {
  test("the key profile leads to the person's user, whose rights reach every bucket and project", async () => {
    const area = await auditCensusIdentity(guideSubject({ kind: "key-profile", profile: censusKeyProfile() }), options());

    expect(area.skipped).toBeUndefined();
    expect(area.passed[0]).toBe(`Census's key ${guide.censusKey.accessKeyId} belongs to IAM user ${guide.userName} (AWS profile "census")`);
    expect(area.findings.map((finding) => [finding.id, finding.severity, finding.control])).toEqual([
      ["census-key-shared-with-person", "high", undefined],
      ["census-key-every-bucket", "high", undefined],
      ["census-key-every-project", "high", undefined],
      ["census-key-pass-any-role", "high", undefined],
      ["census-user-direct-policies", "medium", "IAM.2"],
    ]);

    const shared = byId(area, "census-key-shared-with-person");
    expect(shared.problem).toContain("it has a console password");
    expect(shared.problem).toContain(`another access key (${guide.personalKey.accessKeyId})`);
    expect(byId(area, "census-key-every-bucket").problem).toBe(
      `Census's key (user ${guide.userName}) may read, write and delete objects in all 3 buckets of this account, and change their settings and bucket policies. Census needs only the staging bucket ${BUCKET}, project ${PROJECT} and passing the importer role.`,
    );
    expect(byId(area, "census-key-every-bucket").evidence).toContain("The AWS managed policy AmazonS3FullAccess (arn:aws:iam::aws:policy/AmazonS3FullAccess)");
    expect(byId(area, "census-key-every-project").evidence).toContain("dana-pinpoint-work (inline): Allow mobiletargeting:* on * (statement Pinpoint)");
    expect(area.findings.every((finding) => finding.method === "policy-read" || finding.method === "api")).toBe(true);
    expect(byId(area, "census-key-pass-any-role").method).toBe("policy-read");

    // Nothing of the person's is named for removal: not the user, not their other key, not their policies.
    for (const finding of area.findings) {
      expect(finding.fix).toContain("census-pinpoint adopt");
      expect(finding.fix).not.toContain(guide.personalKey.accessKeyId);
      expect(finding.fix).not.toMatch(/delete-user |detach-user-policy|delete-user-policy|delete-access-key|remove-user-from-group/);
    }
  });

  test("after 120 days the key is overdue for rotation (IAM.3) and, unused since, idle (IAM.8)", async () => {
    const area = await auditCensusIdentity(guideSubject({ kind: "key-profile", profile: censusKeyProfile() }), options(Date.now() + 120 * DAY_MS));

    const old = byId(area, "census-key-old");
    expect(old).toMatchObject({ severity: "medium", control: "IAM.3", method: "api" });
    expect(old.problem).toBe(`Access key ${guide.censusKey.accessKeyId} of user ${guide.userName} is 120 days old; keys should be rotated within 90 days.`);
    const unused = byId(area, "census-key-unused");
    expect(unused).toMatchObject({ severity: "medium", control: "IAM.8" });
    // The audit found the key's user through IAM, without using the key: its last use is still none.
    expect(unused.problem).toContain("has not been used for 120 days (never used)");
    // Only Census's key is reviewed: the person's own key is none of the audit's business.
    expect(area.findings.map((finding) => finding.evidence.join("\n")).join("\n")).not.toContain(`Access key ${guide.personalKey.accessKeyId}`);
  });

  test("named by user, every key of the user is reviewed", async () => {
    const area = await auditCensusIdentity(guideSubject({ kind: "user", userName: guide.userName }), options(Date.now() + 120 * DAY_MS));
    const aged = area.findings.filter((finding) => finding.id === "census-key-old").map((finding) => finding.problem.split(" ")[2]);
    expect(aged.sort()).toEqual([guide.censusKey.accessKeyId, guide.personalKey.accessKeyId].sort());
    // Neither key has been used, so both have been idle since they were made.
    expect(area.findings.filter((finding) => finding.id === "census-key-unused")).toHaveLength(2);
  });

  test("a key profile that does not exist leaves the area unaudited, and says why", async () => {
    censusKeyProfile();
    const area = await auditCensusIdentity(guideSubject({ kind: "key-profile", profile: "nobody" }), options());
    expect(area.findings).toEqual([]);
    expect(area.skipped).toMatch(/^AWS profile "nobody" does not exist in /);
  });
});

describe("a setup as the stack makes it", () => {
  test("the role and the user have nothing to report", async () => {
    const staging = await createMotoStaging(REGION);
    const subject: AuditSubject = {
      region: REGION,
      projectId: staging.projectId,
      bucketName: staging.bucketName,
      importerRoleArn: staging.importerRoleArn,
      census: { kind: "stack", userName: staging.censusUserName, accessKeyId: staging.key.accessKeyId },
      admin: { region: REGION, credentials: DUMMY_CREDENTIALS, env: process.env },
      stackName: `${REGION}-${staging.projectId}`,
    };

    const role = await auditImporterRole(subject, options());
    expect(role.findings).toEqual([]);
    expect(role.passed).toEqual([
      expect.stringContaining("may be assumed by Amazon Pinpoint only for account"),
      expect.stringContaining("gives Pinpoint's role nothing beyond reading the staging bucket"),
      expect.stringContaining("may read the staging bucket"),
    ]);

    const identity = await auditCensusIdentity(subject, options());
    expect(identity.findings).toEqual([]);
    expect(identity.passed).toContain(`User ${staging.censusUserName} may do nothing beyond the staging bucket, the project and passing the importer role`);
    expect(identity.passed).toContain(`User ${staging.censusUserName} gets its rights through groups only (IAM.2)`);
  });
});
