/** How old an access key is, and when that is too old. Apart from accessKeys.ts so `list` does not load the IAM SDK. */

/** Security Hub control IAM.3: access keys should be rotated every 90 days or less. */
export const KEY_AGE_LIMIT_DAYS = 90;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days since an ISO time; undefined when there is no time or it does not parse. */
export function ageInDays(createdAt: string | undefined, now: number): number | undefined {
  const created = createdAt === undefined ? Number.NaN : Date.parse(createdAt);
  return Number.isNaN(created) ? undefined : Math.max(0, Math.floor((now - created) / DAY_MS));
}
