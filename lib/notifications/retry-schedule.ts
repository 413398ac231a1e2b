import type { OutboxEvent } from "@/lib/vocabulary/notification-events";

/** Waits before each retry after a failed attempt: about a day in all, then the delivery is given up. */
export const retryDelaysMs = [5_000, 30_000, 2 * 60_000, 10 * 60_000, 30 * 60_000, 60 * 60_000, 2 * 3_600_000, 4 * 3_600_000, 8 * 3_600_000, 8 * 3_600_000] as const;

/** The end of a session is retried until acknowledged, at least every hour once the schedule is spent. */
const untilAcknowledged: ReadonlySet<OutboxEvent> = new Set(["grant.ended"]);
const ACKNOWLEDGE_RETRY_CAP_MS = 60 * 60_000;

/** A throttled receiver's Retry-After is honoured up to an hour. */
const RETRY_AFTER_CAP_MS = 60 * 60_000;

/** An endpoint that failed this many times in a row, over at least DISABLE_AFTER_MS, is turned off. */
export const DISABLE_AFTER_FAILURES = 10;
export const DISABLE_AFTER_MS = 24 * 3_600_000;

/** After `attempts` failed attempts: how long until the next, or null to give up. A test message is tried once. */
export function nextRetryDelayMs(event: OutboxEvent, attempts: number, retryAfterMs: number | null = null): number | null {
  if (event === "notification.test") return null;
  const scheduled = retryDelaysMs[attempts - 1];
  let delay: number;
  if (untilAcknowledged.has(event)) delay = Math.min(scheduled ?? ACKNOWLEDGE_RETRY_CAP_MS, ACKNOWLEDGE_RETRY_CAP_MS);
  else if (scheduled === undefined) return null;
  else delay = scheduled;
  return retryAfterMs === null ? delay : Math.max(delay, Math.min(retryAfterMs, RETRY_AFTER_CAP_MS));
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = new Date()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/** Whether an endpoint's run of failures is long and old enough to turn it off. */
export function shouldDisable(consecutiveFailures: number, failingSince: Date, now: Date): boolean {
  return consecutiveFailures >= DISABLE_AFTER_FAILURES && now.getTime() - failingSince.getTime() >= DISABLE_AFTER_MS;
}
