/**
 * How long Stint keeps trying each kind of grant work, and how far apart: the one place these numbers live.
 * A delay doubles from `firstDelayMs` up to `maxDelayMs` (with ±20 % jitter, so runs that failed together
 * do not retry together) and is never shorter than a Retry-After Microsoft sent, up to RETRY_AFTER_CAP_MS.
 *
 * - Provisioning: retried for 30 minutes after the grant's start (about 35 attempts, 60 s apart once the
 *   delay has grown), then failed, and whatever was made is taken away.
 * - Expiry: retried for 10 minutes after it began (about 25 attempts, 30 s apart once grown), then the grant is
 *   irrevocable: an alert, and retries keep coming.
 * - Irrevocable: retried after as long again as it has been failing, at least 5 minutes and at most an hour
 *   (so 10, 20, 40 minutes apart, then hourly), until the access is gone; an admin can retry at once, and a
 *   tenant that recovers (reconnected, or its consent restored) is retried at once.
 * - Pass renewal: retried for 10 minutes, then reported on the grant (new sign-ins stop when the pass lapses).
 * Microsoft refusing for good (a consent revoked, a bad request) skips the rest of a budget.
 */
export type RetryBudget = { firstDelayMs: number; maxDelayMs: number; giveUpAfterMs: number };

export const retryBudgets = {
  provision: { firstDelayMs: 2_000, maxDelayMs: 60_000, giveUpAfterMs: 30 * 60_000 },
  expiry: { firstDelayMs: 1_000, maxDelayMs: 30_000, giveUpAfterMs: 10 * 60_000 },
  renewTap: { firstDelayMs: 2_000, maxDelayMs: 60_000, giveUpAfterMs: 10 * 60_000 },
} as const satisfies Record<string, RetryBudget>;

/** A Retry-After beyond this is not believed: a throttled tenant is tried again within five minutes. */
export const RETRY_AFTER_CAP_MS = 5 * 60_000;

/** The wait before retry number `attempt` (1 = the first retry). */
export function retryDelayMs(budget: RetryBudget, attempt: number, retryAfterMs: number | null = null, random = Math.random): number {
  const grown = Math.min(budget.maxDelayMs, budget.firstDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(grown * (0.8 + 0.4 * random()));
  return Math.max(jittered, Math.min(retryAfterMs ?? 0, RETRY_AFTER_CAP_MS));
}

/** The wait before an irrevocable grant's next attempt, after failing for `failingForMs` (±20 % jitter). */
export function irrevocableRetryDelayMs(failingForMs: number, random = Math.random): number {
  const base = Math.min(60 * 60_000, Math.max(5 * 60_000, failingForMs));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** Whether work begun at `since` has spent its budget by `now`. */
export function budgetSpent(budget: RetryBudget, since: Date, now = new Date()): boolean {
  return now.getTime() - since.getTime() >= budget.giveUpAfterMs;
}
