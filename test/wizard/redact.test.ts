import { redactSecrets } from "../../wizard/redact.js";

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

test("a secret access key is cut out wherever it stands: alone, quoted, after `=` or `:`", () => {
  for (const text of [SECRET, `"${SECRET}"`, `secret=${SECRET}`, `AWS_SECRET_ACCESS_KEY=${SECRET}\n`, `key:${SECRET}.`]) {
    expect(redactSecrets(text)).toBe(text.replace(SECRET, "[redacted]"));
  }
});

test("known values go whatever their shape; the IDs and names users need stay", () => {
  expect(redactSecrets("token IQoJb3JpZ2luX2VjEXAMPLE in use", ["IQoJb3JpZ2luX2VjEXAMPLE"])).toBe("token [redacted] in use");
  const kept = [
    "AKIAIOSFODNN7EXAMPLE",
    "0123456789abcdef0123456789abcdef",
    "arn:aws:iam::123456789012:role/CensusPinpointSegmentImporter-01234567",
    "urn:pulumi:eu-west-1-0123456789abcdef0123456789abcdef::census-pinpoint::aws:s3/bucket:Bucket::staging-bucket",
    // Longer base64 (a session token, a certificate) is not an access key's secret.
    `${SECRET}${SECRET}`,
  ].join("\n");
  expect(redactSecrets(kept)).toBe(kept);
});
