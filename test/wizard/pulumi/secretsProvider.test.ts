import { UsageError } from "../../../wizard/errors.js";
import { checkSecretsProvider, describeSecretsProvider, stackSecretsProvider } from "../../../wizard/pulumi/secretsProvider.js";

const FILE = "file:///tmp/state";
const CLOUD = "https://api.pulumi.com";

test("--secrets-provider: a team's KMS key or a passphrase on any backend; Pulumi Cloud's own only there", () => {
  expect(checkSecretsProvider("awskms://alias/census?region=eu-west-1", FILE)).toBe("awskms://alias/census?region=eu-west-1");
  expect(checkSecretsProvider("passphrase", CLOUD)).toBe("passphrase");
  expect(checkSecretsProvider("default", CLOUD)).toBe("default");
  expect(checkSecretsProvider(undefined, FILE)).toBeUndefined();
  const local = (() => checkSecretsProvider("default", FILE)) as () => never;
  expect(local).toThrow(UsageError);
  expect(local).toThrow("--secrets-provider default is Pulumi Cloud's own secrets provider, and this stack's backend is not Pulumi Cloud.");
});

test("--secrets-provider: anything else is refused with the forms Pulumi accepts", () => {
  for (const bad of ["vault://x", "awskms://", "kms", ""]) {
    const error = (() => {
      try {
        checkSecretsProvider(bad, FILE);
      } catch (caught) {
        return caught as UsageError;
      }
      throw new Error(`${bad} was accepted`);
    })();
    expect(error.message).toBe(`--secrets-provider ${JSON.stringify(bad)} is not a secrets provider Pulumi knows.`);
    expect(error.hint).toContain("awskms://alias/census?region=us-east-1");
  }
});

test("an existing stack's provider: named in its settings, a passphrase where only a salt is, else its backend's default", () => {
  expect(stackSecretsProvider(undefined, FILE)).toBe("passphrase");
  expect(stackSecretsProvider({ secretsProvider: "" }, "s3://bucket")).toBe("passphrase");
  expect(stackSecretsProvider({}, CLOUD)).toBe("default");
  expect(stackSecretsProvider({ encryptionSalt: "v1:abc" }, CLOUD)).toBe("passphrase");
  expect(stackSecretsProvider({ secretsProvider: "awskms://alias/x" }, CLOUD)).toBe("awskms://alias/x");
});

test("messages name a KMS key without its query, which may hold an endpoint or a profile", () => {
  expect(describeSecretsProvider("awskms://alias/census?region=eu-west-1&profile=team")).toBe("awskms://alias/census");
  expect(describeSecretsProvider("passphrase")).toBe("a passphrase");
});
