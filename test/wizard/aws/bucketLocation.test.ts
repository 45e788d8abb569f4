// What each HeadBucket answer means, one status at a time: the one reading setup, verify, audit,
// adopt, teardown and doctor share.
import { readHeadBucket } from "../../../wizard/aws/bucketLocation.js";

const ASKED = "us-east-1";

test("200: the bucket exists and these credentials may list it, in the region S3 named", () => {
  expect(readHeadBucket({ status: 200, region: "us-east-1" }, ASKED)).toEqual({ status: "visible", region: "us-east-1" });
  expect(readHeadBucket({ status: 200 }, ASKED)).toEqual({ status: "visible", region: undefined });
});

test("301 and 307: the bucket is in another region, the one the redirect names", () => {
  expect(readHeadBucket({ status: 301, region: "eu-west-1" }, ASKED)).toEqual({ status: "elsewhere", region: "eu-west-1" });
  expect(readHeadBucket({ status: 307, region: "eu-west-1" }, ASKED)).toEqual({ status: "elsewhere", region: "eu-west-1" });
});

test("a redirect naming no region, or the region asked, still says the bucket is elsewhere", () => {
  expect(readHeadBucket({ status: 301 }, ASKED)).toEqual({ status: "elsewhere", region: undefined });
  expect(readHeadBucket({ status: 301, region: ASKED }, ASKED)).toEqual({ status: "elsewhere", region: undefined });
});

test("400 naming another region: a request signed for the wrong region, so the bucket is there", () => {
  expect(readHeadBucket({ status: 400, region: "ap-southeast-2" }, ASKED)).toEqual({ status: "elsewhere", region: "ap-southeast-2" });
});

test("400 naming no region, or the region asked: a request S3 refused (an invalid name), not a location", () => {
  expect(readHeadBucket({ status: 400 }, ASKED)).toBeUndefined();
  expect(readHeadBucket({ status: 400, region: ASKED }, ASKED)).toBeUndefined();
});

test("403: another account's bucket or no s3:ListBucket, with the region when S3 named it", () => {
  expect(readHeadBucket({ status: 403, region: "eu-west-1" }, ASKED)).toEqual({ status: "refused", region: "eu-west-1" });
  expect(readHeadBucket({ status: 403 }, ASKED)).toEqual({ status: "refused", region: undefined });
});

test("404: there is no such bucket, so the name is free", () => {
  expect(readHeadBucket({ status: 404 }, ASKED)).toEqual({ status: "missing" });
});

test("any other status (a server error, no answer at all) is a failure", () => {
  expect(readHeadBucket({ status: 500 }, ASKED)).toBeUndefined();
  expect(readHeadBucket({ status: 0 }, ASKED)).toBeUndefined();
});
