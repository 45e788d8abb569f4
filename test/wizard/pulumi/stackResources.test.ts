// The names teardown checks in AWS, from a stack's outputs and config: what was created first, then
// what setup asked for, then the defaults, so even a stack whose first update failed is checked.
import { stackAccountId, stackResources } from "../../../wizard/pulumi/stackResources.js";
import { TEST_ACCOUNT_ID, TEST_PROJECT_ID } from "../../helpers/pulumiMocks.js";

const REF = { region: "us-east-1", projectId: TEST_PROJECT_ID };
const CALLER = { accountId: TEST_ACCOUNT_ID, arn: `arn:aws:iam::${TEST_ACCOUNT_ID}:user/admin`, userId: "AIDAEXAMPLE" };
const output = (value: string) => ({ value, secret: false });

test("outputs name what was created", () => {
  const outputs = {
    stagingBucketName: output("my-staging"),
    importerRoleArn: output(`arn:aws:iam::${TEST_ACCOUNT_ID}:role/MyImporter`),
    censusUserName: output("my-census"),
    censusUserArn: output(`arn:aws:iam::${TEST_ACCOUNT_ID}:user/my-census`),
    secretAccessKey: { value: "[secret]", secret: true },
  };

  expect(stackResources(REF, outputs, {}, CALLER)).toEqual({
    region: "us-east-1",
    partition: "aws",
    accountId: TEST_ACCOUNT_ID,
    bucketName: "my-staging",
    importerRoleName: "MyImporter",
    censusUserName: "my-census",
  });
  expect(stackAccountId(outputs)).toBe(TEST_ACCOUNT_ID);
});

test("without outputs, the config and then setup's defaults", () => {
  const config = { "census-pinpoint:importerRoleName": { value: "ConfiguredImporter", secret: false }, "census-pinpoint:bucketName": { value: "", secret: false } };

  expect(stackResources(REF, {}, config, CALLER)).toMatchObject({
    bucketName: `census-pinpoint-staging-${TEST_ACCOUNT_ID}-us-east-1`,
    importerRoleName: "ConfiguredImporter",
    censusUserName: "census-pinpoint-01234567",
  });
  expect(stackAccountId({})).toBeUndefined();
});

test("the partition comes from the caller's ARN (GovCloud)", () => {
  const gov = { ...CALLER, arn: `arn:aws-us-gov:iam::${TEST_ACCOUNT_ID}:user/admin` };

  expect(stackResources({ region: "us-gov-west-1", projectId: TEST_PROJECT_ID }, {}, {}, gov).partition).toBe("aws-us-gov");
});
