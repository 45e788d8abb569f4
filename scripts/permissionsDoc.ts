/**
 * Renders docs/permissions.md, the security reviewers' account of every policy statement the stack
 * creates, from `planStaging`, the plan built from the same policy builders the component deploys.
 * Drift fails loudly rather than going stale: a statement without an explanation, an explanation
 * without a statement, and a "deliberately left out" claim the policies no longer honour all throw.
 */
import { ADMIN_COMMANDS, adminActions } from "../infra/adminPermissions.js";
import { censusGroupName, censusPolicyName, importerPolicyName, VERIFY_PROBE_PREFIX } from "../infra/names.js";
import { planStaging, type StagingPlan } from "../infra/plan.js";
import { PARTITION_DNS_SUFFIX } from "../infra/regions.js";
import {
  bucketArn,
  bucketObjectsArn,
  PINPOINT_PASSED_TO_SERVICES,
  PINPOINT_SERVICE_PRINCIPAL,
  pinpointAppArn,
  type PolicyStatement,
} from "../infra/policies.js";
import { MAX_EXPIRATION_DAYS, MIN_EXPIRATION_DAYS } from "../infra/validation.js";

export type PolicyKey = keyof StagingPlan["policies"];

export interface StatementExplanation {
  allows: string;
  why: string;
}

export type StatementExplanations = Record<PolicyKey, Record<string, StatementExplanation>>;

const EXAMPLE_INPUTS = { accountId: "123456789012", region: "us-east-1", pinpointProjectId: "0123456789abcdef0123456789abcdef" };
const EXAMPLE_KMS_KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

export const STATEMENT_EXPLANATIONS: StatementExplanations = {
  importerTrust: {
    PinpointImportsForThisProjectOnly: {
      allows: `Amazon Pinpoint (\`${PINPOINT_SERVICE_PRINCIPAL}\`) to assume the importer role, only on behalf of this account (\`aws:SourceAccount\`) and this Pinpoint project or a resource under it, such as an import job (\`aws:SourceArn\`: \`apps/<projectId>\` and \`apps/<projectId>/*\`).`,
      why: "A segment import job names this role, and Pinpoint assumes it to read the staged files. The two conditions prevent the confused-deputy problem: without them a Pinpoint project in another account that learned the role ARN could have Pinpoint read this bucket. Census's guide omitted them. AWS documents the project ARN for import roles ([IAM role for importing endpoints or segments](https://docs.aws.amazon.com/pinpoint/latest/developerguide/permissions-import-segment.html)); `apps/<projectId>/*` admits a job-scoped ARN should Pinpoint present one, and unlike `apps/<projectId>*` no project whose ID merely starts with this one's.",
    },
  },
  importerAccess: {
    ReadStagedFiles: {
      allows: "Reading objects in the staging bucket, and in no other bucket.",
      why: "The import job reads the files Census staged. Census's guide suggested `AmazonS3ReadOnlyAccess`, which reads every bucket in the account.",
    },
    ListStagingBucket: {
      allows: "Listing the staging bucket and reading its region.",
      why: "An import's S3 URL may name a folder, which Pinpoint lists to find the files.",
    },
    DecryptStagedFiles: {
      allows: "Decrypting with the bucket's KMS key only, only when S3 in the bucket's region asks on the role's behalf (`kms:ViaService`) and only for the staging bucket (`kms:EncryptionContext:aws:s3:arn` is the bucket ARN).",
      why: "Objects encrypted with SSE-KMS can only be read by a principal that may decrypt with the key. The conditions keep the grant from decrypting anything else with the key, directly or through another bucket. The bucket uses an S3 Bucket Key, with which S3 passes the bucket ARN, not the object ARN, as encryption context ([S3 Bucket Keys](https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html#bucket-key-changes)). With SSE-S3 (the default) no KMS permission is needed, so the statement is absent. The key's own key policy must also let IAM policies grant access (the default key policy does); the stack does not change key policies, and refuses a key of another account.",
    },
  },
  censusAccess: {
    StagingBucket: {
      allows: "Listing the staging bucket, reading its region, and listing its unfinished multipart uploads.",
      why: "The bucket-level half of the read/write access on the staging bucket that Census's guide asks for: listing what was staged, the bucket's region (S3 clients look it up to address the bucket), and unfinished multipart uploads of large files so they can be aborted.",
    },
    StagingObjects: {
      allows: "Reading, writing and deleting objects in the staging bucket, and managing multipart uploads of them.",
      why: `Census uploads each segment's file here (large files in parts) before starting the import, and may read back or delete what it staged. \`census-pinpoint verify\` writes and deletes a probe object under \`${VERIFY_PROBE_PREFIX}\` with this key.`,
    },
    PinpointProject: {
      allows: "The listed Pinpoint actions on this project and the resources under it (import jobs `apps/<id>/jobs/import/<jobId>`, segments `apps/<id>/segments/<segmentId>`), and on no other project.",
      why: "Census reads the project (`GetApp`), starts import jobs that turn staged files into segments and follows their status, and creates, reads, updates and deletes the segments it syncs.",
    },
    PassImporterRoleToPinpoint: {
      allows: "Passing the importer role, and no other role, to Pinpoint only (`iam:PassedToService`).",
      why: "`CreateImportJob` names the importer role, and IAM requires the caller to hold `iam:PassRole` on it. The condition stops the key from handing the role to any other service. Two service names are allowed: see known uncertainties.",
    },
    ReadImporterRole: {
      allows: "Reading the importer role (its trust policy and metadata), nothing else.",
      why: "Lets `census-pinpoint verify`, which runs with this key, check that the role exists and trusts Pinpoint.",
    },
    EncryptStagedFiles: {
      allows: "Generating data keys with, and decrypting with, the bucket's KMS key only, only through S3 in the bucket's region and for the staging bucket (the same conditions as the role's).",
      why: "Uploading to an SSE-KMS bucket needs `kms:GenerateDataKey`; reading objects back and multipart uploads also need `kms:Decrypt`. The conditions mean the key Census holds cannot call KMS directly or use the key for any other bucket. Absent with SSE-S3. As for the role, the key policy must let IAM policies grant access.",
    },
  },
  bucket: {
    DenyInsecureTransport: {
      allows: "Nothing: it denies every S3 request to the bucket and its objects, from anyone including the account's administrators, that is not made over TLS (`aws:SecureTransport` is `false`).",
      why: "Staged segment files carry your customers' endpoint data, which must not travel unencrypted. Security Hub S3.5.",
    },
    DenyOtherEncryption: {
      allows: "Nothing: it denies uploads that ask for an encryption other than SSE-KMS (`AES256`, `aws:kms:dsse`).",
      why: "Every object must be under the bucket's key, the one the KMS grants are tied to. An upload without encryption headers, as Census sends, gets the bucket's default and is not affected: the statement applies only when the header is present (`Null`).",
    },
    DenyOtherKmsKey: {
      allows: "Nothing: it denies uploads that name a KMS key other than the bucket's (by key ARN).",
      why: "An upload could otherwise put objects under a key the stack does not control. Naming the bucket's own key by ID or alias is refused too; Census names none.",
    },
    DenyKmsWithoutKeyId: {
      allows: "Nothing: it denies uploads that ask for `aws:kms` without naming a key.",
      why: "For such an upload S3 uses the AWS managed key `aws/s3`, not the bucket's key ([PutObject](https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html)).",
    },
    DenyCustomerProvidedKeys: {
      allows: "Nothing: it denies uploads encrypted with a key of the uploader's own (SSE-C).",
      why: "Such objects are outside KMS: neither the bucket's key nor its audit trail would cover them.",
    },
  },
};

interface PolicySection {
  key: PolicyKey;
  title: string;
  attachedTo(plan: StagingPlan): string;
}

const POLICY_SECTIONS: PolicySection[] = [
  {
    key: "importerTrust",
    title: "Importer role trust policy",
    attachedTo: (plan) => `The trust policy of IAM role \`${plan.importerRoleName}\`: who may assume the role.`,
  },
  {
    key: "importerAccess",
    title: "Importer role policy",
    attachedTo: (plan) =>
      `IAM managed policy \`${importerPolicyName(plan.importerRoleName)}\`, attached to role \`${plan.importerRoleName}\`: what Pinpoint may do while it holds the role.`,
  },
  {
    key: "censusAccess",
    title: "Census group policy",
    attachedTo: (plan) =>
      `IAM managed policy \`${censusPolicyName(plan.censusUserName)}\`, attached to group \`${censusGroupName(plan.censusUserName)}\`, whose only member is user \`${plan.censusUserName}\`, the identity whose access key Census holds.`,
  },
  {
    key: "bucket",
    title: "Bucket policy",
    attachedTo: (plan) => `The bucket policy of \`${plan.bucketName}\`.`,
  },
];

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function allowStatements(plan: StagingPlan): PolicyStatement[] {
  return Object.values(plan.policies).flatMap((document) => document.Statement.filter((statement) => statement.Effect === "Allow"));
}

function allowedActions(plan: StagingPlan): string[] {
  return allowStatements(plan).flatMap((statement) => list(statement.Action));
}

interface LeftOut {
  what: string;
  why: string;
  /** Checked on both example plans, so the claim cannot outlive a change to the builders. */
  holds(plan: StagingPlan): boolean;
}

const LEFT_OUT: LeftOut[] = [
  {
    what: "`AmazonS3ReadOnlyAccess` on the importer role",
    why: "Census's guide suggested it; it reads every bucket in the account. Every S3 grant here names the staging bucket or its objects.",
    holds: (plan) => {
      const staging = [bucketArn(plan.partition, plan.bucketName), bucketObjectsArn(plan.partition, plan.bucketName)];
      return allowStatements(plan)
        .filter((statement) => list(statement.Action).some((action) => action.startsWith("s3:")))
        .every((statement) => list(statement.Resource).every((resource) => staging.includes(resource)));
    },
  },
  {
    what: '`"Resource": "*"` and wildcard actions',
    why: "Every grant names its bucket, objects, project, role or key, and lists its actions.",
    holds: (plan) =>
      allowStatements(plan).every(
        (statement) => !list(statement.Resource).includes("*") && list(statement.Action).every((action) => !action.includes("*")),
      ),
  },
  {
    what: "An external ID (`sts:ExternalId`) in the trust policy",
    why: "AWS deprecated external IDs for Pinpoint roles; the `aws:SourceAccount`/`aws:SourceArn` conditions do that job.",
    holds: (plan) => !JSON.stringify(plan.policies.importerTrust).includes("sts:ExternalId"),
  },
  {
    what: "`aws:SourceAccount` conditions in the Census policy",
    why: "That key is present only when an AWS service makes the request; calls made with the user's key never carry it, so such a statement would never match.",
    holds: (plan) => !JSON.stringify(plan.policies.censusAccess).includes("aws:SourceAccount"),
  },
  {
    what: "`s3:DeleteBucket`, `s3:PutBucketPolicy` and other bucket configuration",
    why: "The Census key can use the bucket's objects but cannot delete the bucket or weaken its policy, encryption, public access block or lifecycle.",
    holds: (plan) => !allowedActions(plan).some((action) => /^s3:(DeleteBucket|PutBucket|PutLifecycle|PutEncryption)/.test(action)),
  },
  {
    what: "Pinpoint actions on other projects",
    why: "Pinpoint grants name exactly `apps/<projectId>` and `apps/<projectId>/*`; there is no sending, campaign, journey or endpoint permission either.",
    holds: (plan) => {
      const app = pinpointAppArn({ ...plan, projectId: plan.pinpointProjectId });
      return allowStatements(plan)
        .filter((statement) => list(statement.Action).some((action) => action.startsWith("mobiletargeting:")))
        .every(
          (statement) =>
            list(statement.Resource).every((resource) => resource === app || resource === `${app}/*`) &&
            !list(statement.Action).some((action) => /Send|Campaign|Journey|Endpoint/.test(action)),
        );
    },
  },
  {
    what: "KMS use outside S3 and outside the staging bucket",
    why: "Every KMS grant holds only through S3 (`kms:ViaService`) with the staging bucket's ARN as encryption context: neither the Census key nor the role's session can call KMS with the key directly or decrypt another bucket's objects.",
    holds: (plan) =>
      allowStatements(plan)
        .filter((statement) => list(statement.Action).some((action) => action.startsWith("kms:")))
        .every((statement) => {
          const equals = statement.Condition?.StringEquals ?? {};
          return equals["kms:ViaService"] === `s3.${plan.region}.${PARTITION_DNS_SUFFIX[plan.partition]}` && equals["kms:EncryptionContext:aws:s3:arn"] === bucketArn(plan.partition, plan.bucketName);
        }),
  },
  {
    what: "`mobiletargeting:GetApps` (listing projects)",
    why: "It needs the account-wide `apps` resource. The wizard lists projects with the administrator's credentials; the Census key only needs its own project (`GetApp`).",
    holds: (plan) => !allowedActions(plan).includes("mobiletargeting:GetApps"),
  },
];

function json(value: unknown): string {
  return ["```json", JSON.stringify(value, null, 2), "```"].join("\n");
}

function inlineSettings(settings: Record<string, unknown>): string {
  return Object.entries(settings)
    .map(([key, value]) => `\`${key}: ${String(value)}\``)
    .join(", ");
}

function settingsOf(plan: StagingPlan, type: string): Record<string, unknown> {
  const resource = plan.resources.find((candidate) => candidate.type === type);
  if (!resource) throw new Error(`The plan has no ${type}; update the bucket hardening section in scripts/permissionsDoc.ts.`);
  return resource.settings;
}

function renderPolicy(section: PolicySection, plain: StagingPlan, kms: StagingPlan, explanations: StatementExplanations): string[] {
  const plainStatements = plain.policies[section.key].Statement;
  const kmsStatements = kms.policies[section.key].Statement;
  const plainSids = new Set(plainStatements.map((statement) => statement.Sid));
  // The document shows the KMS variant as additions only; a statement the key changes would be misdescribed.
  for (const statement of plainStatements) {
    const withKms = kmsStatements.find((candidate) => candidate.Sid === statement.Sid);
    if (JSON.stringify(withKms) !== JSON.stringify(statement)) {
      throw new Error(`Statement "${statement.Sid}" of the ${section.title.toLowerCase()} changes when a KMS key is set; the permissions document shows KMS statements only as additions.`);
    }
  }
  const sectionExplanations = explanations[section.key];
  const lines = [`## ${section.title}`, "", section.attachedTo(plain)];
  for (const statement of kmsStatements) {
    const explanation = sectionExplanations[statement.Sid];
    if (!explanation) {
      throw new Error(
        `Statement "${statement.Sid}" of the ${section.title.toLowerCase()} has no explanation: add one to STATEMENT_EXPLANATIONS.${section.key} in scripts/permissionsDoc.ts.`,
      );
    }
    const kmsOnly = plainSids.has(statement.Sid) ? "" : " (SSE-KMS only)";
    lines.push("", `### \`${statement.Sid}\`${kmsOnly}`, "", json(statement), "", `- **Allows:** ${explanation.allows}`, `- **Why:** ${explanation.why}`);
  }
  const stale = Object.keys(sectionExplanations).filter((sid) => !kmsStatements.some((statement) => statement.Sid === sid));
  if (stale.length > 0) {
    throw new Error(`STATEMENT_EXPLANATIONS.${section.key} explains ${stale.map((sid) => `"${sid}"`).join(", ")}, which the ${section.title.toLowerCase()} no longer has.`);
  }
  return lines;
}

function renderHardening(plain: StagingPlan, kms: StagingPlan): string[] {
  if (plain.resources.some((resource) => resource.type.startsWith("aws:iam/userPolicy"))) {
    throw new Error("The plan attaches a policy to the Census user directly; the IAM.2 claim in scripts/permissionsDoc.ts no longer holds.");
  }
  const lifecycle = settingsOf(plain, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration");
  const encryption = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
  return [
    "## Bucket and identity hardening",
    "",
    "| setting | value | Security Hub control |",
    "|---|---|---|",
    `| Block Public Access on the bucket | ${inlineSettings(settingsOf(plain, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"))} | S3.8: buckets should block public access |`,
    `| Object Ownership (ACLs disabled) | ${inlineSettings(settingsOf(plain, "aws:s3/bucketOwnershipControls:BucketOwnershipControls"))} | S3.12: ACLs should not be used to manage access |`,
    `| Default encryption | SSE-S3: ${inlineSettings(settingsOf(plain, encryption))}; with \`kmsKeyArn\`, SSE-KMS: ${inlineSettings(settingsOf(kms, encryption))} | none (S3 encrypts by default; set explicitly so the choice is visible) |`,
    "| TLS-only bucket policy | `DenyInsecureTransport` above | S3.5: buckets should require requests to use SSL |",
    `| With \`kmsKeyArn\`, uploads under the bucket's key only | ${kms.policies.bucket.Statement.filter((statement) => !plain.policies.bucket.Statement.some((other) => other.Sid === statement.Sid)).map((statement) => `\`${statement.Sid}\``).join(", ")} above | none |`,
    `| Lifecycle | ${inlineSettings(lifecycle)} (the expiry is config \`expirationDays\`, ${MIN_EXPIRATION_DAYS}–${MAX_EXPIRATION_DAYS}) | S3.13: buckets should have lifecycle configurations |`,
    `| Census permissions through a group | user \`${plain.censusUserName}\` has no policy of its own; its policy is attached to group \`${censusGroupName(plain.censusUserName)}\` | IAM.2: IAM users should not have policies attached |`,
    "| Access key rotation | rotate at least every 90 days with `census-pinpoint rotate-key`: the next key is created while the previous one stays active (IAM allows two keys per user), so Census can switch before the old key is deleted | IAM.3: access keys should be rotated every 90 days or less |",
  ];
}

function renderLeftOut(plans: StagingPlan[]): string[] {
  const lines = ["## Deliberately left out", ""];
  for (const item of LEFT_OUT) {
    if (!plans.every((plan) => item.holds(plan))) {
      throw new Error(`The "deliberately left out" claim about ${item.what} no longer holds for the policies the builders produce; fix the policy or the claim in scripts/permissionsDoc.ts.`);
    }
    lines.push(`- **${item.what}.** ${item.why}`);
  }
  return lines;
}

function renderUncertainties(plain: StagingPlan): string[] {
  const appArn = pinpointAppArn({ ...plain, projectId: plain.pinpointProjectId });
  return [
    "## Known uncertainties",
    "",
    `- **\`aws:SourceArn\` in the trust policy** admits the project ARN (\`${appArn}\`), the form AWS documents for import roles, and the ARNs under it (\`${appArn}/*\`). AWS does not say whether Pinpoint presents the project's or the import job's ARN; either is admitted. A prefix pattern (\`${appArn}*\`) is not used: it would also admit every project whose ID starts with this one's, and \`verify\` and \`audit\` report one as too wide.`,
    `- **\`iam:PassedToService\`:** the AWS service authorization reference gives \`mobiletargeting.amazonaws.com\`, while the role's trust principal is \`${PINPOINT_SERVICE_PRINCIPAL}\`; which one IAM checks on \`CreateImportJob\` is unclear, so the condition allows exactly ${PINPOINT_PASSED_TO_SERVICES.map((service) => `\`${service}\``).join(" and ")}.`,
  ];
}

function renderAdminPermissions(): string[] {
  const lines = [
    "## Administrator permissions",
    "",
    "What the credentials that run census-pinpoint (`--profile`, `AWS_PROFILE`: not the Census key) must be allowed, per command: the calls the wizard makes and those the Pulumi AWS provider makes for it. Each is needed on the stack's own bucket, role, user, group and policies (`sts:GetCallerIdentity` on `*`). `census-pinpoint doctor` asks IAM's policy simulator about exactly this list (infra/adminPermissions.ts).",
  ];
  for (const command of ADMIN_COMMANDS) {
    lines.push("", `### \`${command}\``, "", adminActions(command).map((action) => `\`${action}\``).join(", "));
  }
  return lines;
}

export function renderPermissionsDoc(explanations: StatementExplanations = STATEMENT_EXPLANATIONS): string {
  const plain = planStaging(EXAMPLE_INPUTS);
  const kms = planStaging({ ...EXAMPLE_INPUTS, kmsKeyArn: EXAMPLE_KMS_KEY_ARN });
  const lines = [
    "# Permissions",
    "",
    "<!-- Generated by scripts/generatePermissionsDoc.ts (`npm run docs`) from the policy builders in infra/policies.ts. Do not edit: test/docs/permissions.test.ts fails when this file and the code disagree. -->",
    "",
    "For security reviewers: every statement of every policy the stack creates, what it allows, why Census or Amazon Pinpoint needs it, and what was deliberately left out.",
    "",
    `Example values: account \`${EXAMPLE_INPUTS.accountId}\`, region \`${EXAMPLE_INPUTS.region}\`, Pinpoint project \`${EXAMPLE_INPUTS.pinpointProjectId}\`, default names. A deployment substitutes its own; \`census-pinpoint plan\` prints its exact documents. Statements marked *SSE-KMS only* exist when \`kmsKeyArn\` is set (example key \`${EXAMPLE_KMS_KEY_ARN}\`); with the default SSE-S3 encryption they are absent.`,
  ];
  for (const section of POLICY_SECTIONS) lines.push("", ...renderPolicy(section, plain, kms, explanations));
  lines.push("", ...renderHardening(plain, kms), "", ...renderLeftOut([plain, kms]), "", ...renderUncertainties(plain), "", ...renderAdminPermissions());
  return `${lines.join("\n")}\n`;
}
