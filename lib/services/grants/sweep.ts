import { and, eq, gt, isNotNull, isNull, lte, or } from "drizzle-orm";
import { grants } from "@/db/schema";
import { withSystemTx } from "@/db/tx";
import { completeStalledDisconnects } from "@/lib/services/connections/complete-disconnect";
import { scheduleExpiry, scheduleProvisioning, scheduleTapRenewal } from "./schedule";
import { RENEW_BEFORE_MS } from "./tap-renewal";

const BATCH = 500;
const STUCK_AFTER_MS = 10 * 60_000;

/**
 * The sweeper (every SWEEP_EVERY_SECONDS, on a timer in every worker: jobs/worker.ts): Postgres is the truth, Redis timers
 * an optimisation. Finds what is due — ends past, ended-early grants not yet expiring, irrevocable grants
 * whose daily retry is due, approved grants whose start has come, and expiry or provisioning stuck for ten
 * minutes — and (re)queues their jobs; so too Temporary Access Passes due for renewal. It also completes
 * disconnects whose last grant ended without completing them. Rows are claimed with
 * FOR UPDATE SKIP LOCKED, so several workers sweeping at once split the work instead of repeating it.
 */
export async function sweepDueGrants(now = new Date()): Promise<{ expiring: number; provisioning: number; renewals: number; disconnects: number }> {
  const due = await withSystemTx((tx) =>
    tx
      .select({ id: grants.id, mspId: grants.mspId, state: grants.state, startAt: grants.startAt, endsAt: grants.endsAt })
      .from(grants)
      .where(
        or(
          // Expiring grants have a job running or retrying; only stuck ones (below) are re-queued.
          and(eq(grants.state, "active"), lte(grants.endsAt, now)),
          and(eq(grants.state, "active"), isNotNull(grants.endReason)),
          // An expiry job retries with backoff for about 4 minutes; only after that is a still-expiring grant stuck.
          and(eq(grants.state, "expiring"), lte(grants.expiryStartedAt, new Date(now.getTime() - STUCK_AFTER_MS))),
          // A provisioning job that stalled twice is failed by BullMQ without running our final attempt.
          and(eq(grants.state, "provisioning"), lte(grants.updatedAt, new Date(now.getTime() - STUCK_AFTER_MS))),
          and(eq(grants.state, "irrevocable"), lte(grants.nextExpiryAttemptAt, now)),
          and(eq(grants.state, "approved"), lte(grants.startAt, now)),
        ),
      )
      .orderBy(grants.endsAt)
      .limit(BATCH)
      .for("update", { skipLocked: true }),
  );
  let expiring = 0;
  let provisioning = 0;
  for (const grant of due) {
    if (grant.state === "approved" || grant.state === "provisioning") {
      await scheduleProvisioning(grant, { retry: grant.state === "provisioning" });
      provisioning += 1;
    } else {
      await scheduleExpiry(grant, { now: true, dedupe: true });
      expiring += 1;
    }
  }
  const renewals = await sweepTapRenewals(now);
  const disconnects = await completeStalledDisconnects(now);
  return { expiring, provisioning, renewals, disconnects };
}

/** Live pass grants whose pass lapses within RENEW_BEFORE_MS and before the grant ends. */
async function sweepTapRenewals(now: Date): Promise<number> {
  const due = await withSystemTx((tx) =>
    tx
      .select()
      .from(grants)
      .where(
        and(
          eq(grants.state, "active"),
          eq(grants.signInMethod, "tap"),
          isNull(grants.endReason),
          isNull(grants.tapRenewalError),
          lte(grants.tapExpiresAt, new Date(now.getTime() + RENEW_BEFORE_MS)),
          gt(grants.endsAt, grants.tapExpiresAt),
        ),
      )
      .orderBy(grants.tapExpiresAt)
      .limit(BATCH)
      .for("update", { skipLocked: true }),
  );
  for (const grant of due) await scheduleTapRenewal(grant, { dedupe: true });
  return due.length;
}
