/**
 * Cuts secrets out of text that comes from elsewhere (AWS errors, the Pulumi CLI's output and errors)
 * before it reaches a message, a progress line or the terminal: the values the caller knows, and
 * anything shaped like an AWS secret access key, the secret this tool hands out. A provider error
 * or a verbose engine line may echo a key back in clear; nothing downstream has to remember that.
 */

export const REDACTED = "[redacted]";

// AWS secret access keys are 40 characters of base64; nothing else in AWS's or Pulumi's text looks like that.
const SECRET_SHAPE = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

export function redactSecrets(text: string, known: ReadonlyArray<string | undefined> = []): string {
  let result = text;
  for (const secret of known) {
    if (secret) result = result.split(secret).join(REDACTED);
  }
  return result.replace(SECRET_SHAPE, REDACTED);
}
