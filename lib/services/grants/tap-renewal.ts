import type { Grant } from "@/db/schema";

/**
 * A pass is renewed this long before it lapses: late enough that the technician's current sessions (whose
 * lifetime Microsoft bounds by the pass's) run their course, early enough for Graph's retries.
 */
export const RENEW_BEFORE_MS = 15 * 60_000;

type RenewalFacts = Pick<Grant, "state" | "signInMethod" | "tapExpiresAt" | "endsAt" | "tapRenewalError" | "endReason">;

/** A live pass grant whose pass lapses before the grant ends, and whose last renewal did not fail for good. */
export function needsTapRenewal(grant: RenewalFacts): boolean {
  return (
    grant.state === "active" &&
    grant.endReason === null &&
    grant.signInMethod === "tap" &&
    grant.tapExpiresAt !== null &&
    grant.endsAt !== null &&
    grant.endsAt.getTime() > grant.tapExpiresAt.getTime() &&
    grant.tapRenewalError === null
  );
}

/** When the renewal should run: RENEW_BEFORE_MS before the pass lapses, or now. */
export function tapRenewalDueAt(grant: Pick<Grant, "tapExpiresAt">, now = Date.now()): number {
  return Math.max(now, (grant.tapExpiresAt?.getTime() ?? now) - RENEW_BEFORE_MS);
}
