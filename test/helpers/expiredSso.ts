/**
 * An IAM Identity Center (SSO) profile whose sign-in has expired, as `aws sso login` leaves it an hour
 * after its token ran out: the profile `sso-expired` on the session `corp`, and the session's token
 * cache under `home`. Its refresh token makes the SDK try a refresh, which goes to AWS_ENDPOINT_URL.
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const EXPIRED_SSO_PROFILE = "sso-expired";

export function writeExpiredSsoProfile(configFile: string, home: string): void {
  writeFileSync(
    configFile,
    `[profile ${EXPIRED_SSO_PROFILE}]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\nregion = eu-west-1\n\n` +
      "[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n",
  );
  const cache = join(home, ".aws", "sso", "cache");
  mkdirSync(cache, { recursive: true });
  writeFileSync(
    join(cache, `${createHash("sha1").update("corp").digest("hex")}.json`),
    JSON.stringify({
      startUrl: "https://example.awsapps.com/start",
      region: "us-east-1",
      accessToken: "expired",
      expiresAt: new Date(Date.now() - 3_600_000).toISOString(),
      clientId: "client",
      clientSecret: "secret",
      registrationExpiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      refreshToken: "refresh",
    }),
  );
}
