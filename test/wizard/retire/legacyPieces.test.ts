// What retire removes of a setup made by hand, in which order, how each piece is named, and what it
// refuses to touch: the pure plan, from readings as aws/legacyIam.ts returns them.
import type { LegacyKey, LegacyRole } from "../../../wizard/aws/legacyIam.js";
import { UsageError } from "../../../wizard/errors.js";
import {
  checkAccessKeyId,
  checkRoleAccount,
  deselected,
  planRetirement,
  reachesBeyondBucket,
  trustsPinpoint,
  type RetireRequest,
} from "../../../wizard/retire/legacyPieces.js";
import { DUMMY_CREDENTIALS, MOTO_ACCOUNT_ID } from "../../helpers/moto.js";

const NOW = Date.parse("2026-11-30T12:00:00Z");
const HOUR = 60 * 60 * 1000;
const CENSUS_KEY = "AKIAI44QH8DHBEXAMPLE";
/** The person's own key, and in the caller tests the key retire runs with. */
const OTHER_KEY = DUMMY_CREDENTIALS.accessKeyId;
const S3_READ_ONLY = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";
const CUSTOMER_POLICY = `arn:aws:iam::${MOTO_ACCOUNT_ID}:policy/census-staging-read`;
const ROLE_ARN = `arn:aws:iam::${MOTO_ACCOUNT_ID}:role/CensusPinpointSegmentImporter`;
const GUIDE_TRUST = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "pinpoint.amazonaws.com" }, Action: "sts:AssumeRole" }] };

function key(overrides: Partial<LegacyKey> = {}): LegacyKey {
  return {
    accessKeyId: CENSUS_KEY,
    userName: "dana.admin",
    active: true,
    createdAt: new Date("2024-03-01T09:00:00Z"),
    lastUse: { at: new Date(NOW - 72 * HOUR), service: "s3", region: "us-east-1" },
    otherKeyIds: [OTHER_KEY],
    userTags: {},
    ...overrides,
  };
}

function role(overrides: Partial<LegacyRole> = {}): LegacyRole {
  return {
    name: "CensusPinpointSegmentImporter",
    arn: ROLE_ARN,
    tags: {},
    trustPolicy: GUIDE_TRUST,
    attachedPolicies: [{ arn: S3_READ_ONLY, name: "AmazonS3ReadOnlyAccess" }],
    inlinePolicyNames: [],
    instanceProfileNames: [],
    ...overrides,
  };
}

function request(overrides: Partial<RetireRequest> = {}): RetireRequest {
  return {
    caller: { accountId: MOTO_ACCOUNT_ID, arn: `arn:aws:iam::${MOTO_ACCOUNT_ID}:user/admin`, accessKeyId: OTHER_KEY },
    key: { accessKeyId: CENSUS_KEY, found: key() },
    role: { arn: ROLE_ARN, name: "CensusPinpointSegmentImporter", found: role() },
    keepRole: false,
    now: NOW,
    ...overrides,
  };
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
  throw new Error("not refused");
}

describe("the access key", () => {
  test("only the key goes, named with its user and last use; the user is kept with its other keys", () => {
    const plan = planRetirement(request({ role: undefined }));

    expect(plan.pieces).toEqual([
      {
        kind: "access-key",
        id: CENSUS_KEY,
        description: `access key ${CENSUS_KEY} of IAM user dana.admin (last used 2026-11-27 12:00 UTC, s3 in us-east-1)`,
        deletions: [{ action: "DeleteAccessKey", userName: "dana.admin", accessKeyId: CENSUS_KEY }],
        warnings: [],
      },
    ]);
    expect(plan.kept).toEqual([
      {
        kind: "iam-user",
        id: "dana.admin",
        description: `IAM user dana.admin: only the key Census held goes; its other access key (${OTHER_KEY}), any password, its groups and its policies stay`,
      },
    ]);
  });

  test("a key never used, or inactive, says so", () => {
    const [piece] = planRetirement(request({ role: undefined, key: { accessKeyId: CENSUS_KEY, found: key({ lastUse: {}, active: false, otherKeyIds: [] }) } })).pieces;
    expect(piece!.description).toBe(`access key ${CENSUS_KEY} of IAM user dana.admin (inactive, never used)`);
  });

  test("used within the last 24 hours: Census may still be using it", () => {
    const recent = key({ lastUse: { at: new Date(NOW - 2 * HOUR), service: "mobiletargeting", region: "us-east-1" } });
    const [piece] = planRetirement(request({ role: undefined, key: { accessKeyId: CENSUS_KEY, found: recent } })).pieces;
    expect(piece!.warnings).toEqual([
      "Access key AKIAI44QH8DHBEXAMPLE was last used 2026-11-30 10:00 UTC, within the last 24 hours: Census may still be using it. Check that Census's Amazon Pinpoint connection holds the new key (`census-pinpoint credentials`) before this one goes.",
    ]);
  });

  test("used after the stack's last update (adopt): Census may still be using it; used before it: no warning", () => {
    const after = planRetirement(request({ role: undefined, stackUpdatedAt: new Date(NOW - 96 * HOUR).toISOString() })).pieces[0]!;
    expect(after.warnings[0]).toContain("last used 2026-11-27 12:00 UTC, after the stack's last update (2026-11-26 12:00 UTC): Census may still be using it.");

    const before = planRetirement(request({ role: undefined, stackUpdatedAt: new Date(NOW - 48 * HOUR).toISOString() })).pieces[0]!;
    expect(before.warnings).toEqual([]);
  });

  test("a key IAM does not have is already gone", () => {
    const plan = planRetirement(request({ role: undefined, key: { accessKeyId: CENSUS_KEY } }));
    expect(plan.pieces).toEqual([]);
    expect(plan.alreadyGone).toEqual([{ kind: "access-key", id: CENSUS_KEY, description: `access key ${CENSUS_KEY} (IAM has no such key in account ${MOTO_ACCOUNT_ID})` }]);
  });
});

describe("the importer role", () => {
  test("goes after the key, out of its instance profiles, inline policies deleted and policies detached first; a customer managed policy is kept", () => {
    const found = role({
      inlinePolicyNames: ["read-staging", "kms"],
      attachedPolicies: [
        { arn: S3_READ_ONLY, name: "AmazonS3ReadOnlyAccess" },
        { arn: CUSTOMER_POLICY, name: "census-staging-read" },
      ],
      instanceProfileNames: ["importer-profile"],
    });
    const plan = planRetirement(request({ role: { arn: ROLE_ARN, name: found.name, found } }));

    expect(plan.pieces.map((piece) => piece.kind)).toEqual(["access-key", "iam-role"]);
    const rolePiece = plan.pieces[1]!;
    expect(rolePiece.description).toBe(
      "IAM role CensusPinpointSegmentImporter with its 2 inline policies (read-staging, kms); AmazonS3ReadOnlyAccess, census-staging-read detached; removed from instance profile importer-profile",
    );
    const roleName = "CensusPinpointSegmentImporter";
    expect(rolePiece.deletions).toEqual([
      { action: "RemoveRoleFromInstanceProfile", roleName, instanceProfileName: "importer-profile" },
      { action: "DeleteRolePolicy", roleName, policyName: "read-staging" },
      { action: "DeleteRolePolicy", roleName, policyName: "kms" },
      { action: "DetachRolePolicy", roleName, policyArn: S3_READ_ONLY },
      { action: "DetachRolePolicy", roleName, policyArn: CUSTOMER_POLICY },
      { action: "DeleteRole", roleName },
    ]);
    expect(plan.kept).toContainEqual({
      kind: "managed-policy",
      id: CUSTOMER_POLICY,
      description: "customer managed policy census-staging-read: detached from IAM role CensusPinpointSegmentImporter, not deleted",
    });
  });

  test("the guide's role: AmazonS3ReadOnlyAccess detached, then the role deleted", () => {
    const [piece] = planRetirement(request({ key: undefined })).pieces;
    expect(piece!.description).toBe("IAM role CensusPinpointSegmentImporter; AmazonS3ReadOnlyAccess detached");
  });

  test("assumed by Pinpoint within the last 24 hours: an import may still use it", () => {
    const found = role({ lastUsedAt: new Date(NOW - HOUR) });
    const [piece] = planRetirement(request({ key: undefined, role: { arn: ROLE_ARN, name: found.name, found } })).pieces;
    expect(piece!.warnings[0]).toMatch(/^Amazon Pinpoint last assumed IAM role CensusPinpointSegmentImporter 2026-11-30 11:00 UTC, within the last 24 hours: an import may still use it\./);
  });

  test("--keep-role detaches only the AWS managed S3 and administrator policies; the role keeps the rest", () => {
    const found = role({
      inlinePolicyNames: ["read-staging"],
      attachedPolicies: [
        { arn: S3_READ_ONLY, name: "AmazonS3ReadOnlyAccess" },
        { arn: "arn:aws:iam::aws:policy/AdministratorAccess", name: "AdministratorAccess" },
        { arn: CUSTOMER_POLICY, name: "census-staging-read" },
      ],
    });
    const plan = planRetirement(request({ key: undefined, keepRole: true, role: { arn: ROLE_ARN, name: found.name, found } }));

    expect(plan.pieces).toEqual([
      {
        kind: "role-policies",
        id: ROLE_ARN,
        description: "AmazonS3ReadOnlyAccess, AdministratorAccess detached from IAM role CensusPinpointSegmentImporter (the role stays: --keep-role)",
        deletions: [
          { action: "DetachRolePolicy", roleName: found.name, policyArn: S3_READ_ONLY },
          { action: "DetachRolePolicy", roleName: found.name, policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
        ],
        warnings: [],
      },
    ]);
    expect(plan.kept).toEqual([
      { kind: "iam-role", id: ROLE_ARN, description: "IAM role CensusPinpointSegmentImporter (--keep-role), with its trust policy and inline policy read-staging, census-staging-read" },
    ]);
  });

  test("--keep-role on a role with nothing broad attached: nothing to do, already gone", () => {
    const found = role({ attachedPolicies: [{ arn: CUSTOMER_POLICY, name: "census-staging-read" }] });
    const plan = planRetirement(request({ key: undefined, keepRole: true, role: { arn: ROLE_ARN, name: found.name, found } }));
    expect(plan.pieces).toEqual([]);
    expect(plan.alreadyGone).toEqual([
      { kind: "role-policies", id: ROLE_ARN, description: "AWS managed S3 and administrator policies on IAM role CensusPinpointSegmentImporter: none attached" },
    ]);
  });

  test("a role IAM does not have is already gone", () => {
    const plan = planRetirement(request({ key: undefined, role: { arn: ROLE_ARN, name: "CensusPinpointSegmentImporter" } }));
    expect(plan.alreadyGone).toEqual([{ kind: "iam-role", id: ROLE_ARN, description: "IAM role CensusPinpointSegmentImporter (IAM has no such role)" }]);
  });

  test.each([
    ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", true],
    ["arn:aws:iam::aws:policy/AmazonS3FullAccess", true],
    ["arn:aws-us-gov:iam::aws:policy/AdministratorAccess", true],
    ["arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", false],
    ["arn:aws:iam::aws:policy/ReadOnlyAccess", true],
    ["arn:aws:iam::aws:policy/AmazonMobileAnalyticsWriteOnlyAccess", false],
    [`arn:aws:iam::${MOTO_ACCOUNT_ID}:policy/AmazonS3ReadOnlyAccess`, false],
  ])("%s reaches beyond a staging bucket: %s", (arn, broad) => {
    expect(reachesBeyondBucket(arn)).toBe(broad);
  });
});

describe("refusals, each before anything is deleted", () => {
  test("a role tagged managed-by=census-pinpoint is the stack's: teardown", () => {
    const found = role({ tags: { "managed-by": "census-pinpoint", "pinpoint-project": "0123" } });
    expect(refusal(() => planRetirement(request({ role: { arn: ROLE_ARN, name: found.name, found } })))).toBe(
      "IAM role CensusPinpointSegmentImporter is tagged managed-by=census-pinpoint: that is the stack's; retiring a managed stack is `census-pinpoint teardown`.",
    );
  });

  test("a key whose user is tagged managed-by=census-pinpoint is the stack's", () => {
    const found = key({ userName: "census-pinpoint-01234567", userTags: { "managed-by": "census-pinpoint" } });
    expect(refusal(() => planRetirement(request({ key: { accessKeyId: CENSUS_KEY, found } })))).toBe(
      "Access key AKIAI44QH8DHBEXAMPLE belongs to IAM user census-pinpoint-01234567, tagged managed-by=census-pinpoint: that is the stack's; retiring a managed stack is `census-pinpoint teardown`.",
    );
  });

  test("a role Amazon Pinpoint cannot assume is not an importer role", () => {
    const found = role({ trustPolicy: { Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] } });
    expect(refusal(() => planRetirement(request({ role: { arn: ROLE_ARN, name: found.name, found } })))).toBe(
      "IAM role CensusPinpointSegmentImporter does not trust pinpoint.amazonaws.com: it is not an Amazon Pinpoint importer role, so retire leaves it alone.",
    );
  });

  test("the key the command runs with would lock the operator out", () => {
    const caller = { accountId: MOTO_ACCOUNT_ID, arn: `arn:aws:iam::${MOTO_ACCOUNT_ID}:user/dana.admin`, accessKeyId: CENSUS_KEY };
    expect(refusal(() => planRetirement(request({ caller })))).toBe(
      "Access key AKIAI44QH8DHBEXAMPLE is the one the credentials running retire use (arn:aws:iam::123456789012:user/dana.admin): deleting it would lock you out.",
    );
  });

  test("a role of another account than the credentials'", () => {
    expect(refusal(() => checkRoleAccount("arn:aws:iam::111111111111:role/R", "111111111111", MOTO_ACCOUNT_ID))).toBe(
      "--role-arn arn:aws:iam::111111111111:role/R is in AWS account 111111111111, but these credentials belong to account 123456789012.",
    );
    expect(() => checkRoleAccount(ROLE_ARN, MOTO_ACCOUNT_ID, MOTO_ACCOUNT_ID)).not.toThrow();
  });

  test("temporary credentials and IDs that are no access key's", () => {
    expect(refusal(() => checkAccessKeyId("ASIAI44QH8DHBEXAMPLE", 'AWS profile "sso"'))).toBe(
      `AWS profile "sso" holds temporary credentials (ASIAI44QH8DHBEXAMPLE), not an IAM user's access key: there is no key to delete.`,
    );
    expect(refusal(() => checkAccessKeyId("dana.admin", "--access-key-id"))).toContain('--access-key-id: "dana.admin" is not an IAM user\'s access key ID');
    expect(checkAccessKeyId(CENSUS_KEY, "--access-key-id")).toBe(CENSUS_KEY);
  });
});

test("trust: a Pinpoint principal in a list counts, a Deny or an unreadable policy does not", () => {
  expect(trustsPinpoint({ Statement: { Effect: "Allow", Principal: { Service: ["ec2.amazonaws.com", "pinpoint.amazonaws.com"] } } })).toBe(true);
  expect(trustsPinpoint({ Statement: [{ Effect: "Deny", Principal: { Service: "pinpoint.amazonaws.com" } }] })).toBe(false);
  expect(trustsPinpoint(undefined)).toBe(false);
});

test("a piece the user did not select is reported as kept", () => {
  const [piece] = planRetirement(request({ role: undefined })).pieces;
  expect(deselected(piece!)).toEqual({ kind: "access-key", id: CENSUS_KEY, description: `${piece!.description}, not selected` });
});
