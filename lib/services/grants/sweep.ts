import { and, eq, gt, inArray, isNotNull, isNull, lte, or, sql } from "drizzle-orm";
import { grants } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";
import { completeStalledDisconnects } from "@/lib/services/connections/complete-disconnect";
import { leaseMs } from "./lease";
import { scheduleExpiry, scheduleProvisioning, scheduleTapRenewal } from "./schedule";
import { RENEW_BEFORE_MS } from "./tap-renewal";

const BATCH = 500;

/**
 * The sweeper (every SWEEP_EVERY_SECONDS, on a timer in every worker: jobs/worker.ts): Postgres is the truth,
 * Redis timers an optimisation. Finds what is due — ends past, ended-early grants not yet expiring, irrevocable
 * grants whose next retry is due, approved grants whose start has come, and provisioning or expiry whose run's
 * lease lapsed (its worker died, or Redis lost its job) — and (re)queues their jobs; so too Temporary Access
 * Passes due for renewal. It also completes disconnects whose last grant ended without completing them.
 *
 * Several workers may sweep at once and find the same grants: the selects' row locks end when their
 * transactions commit, before anything is queued, so they do not split the work. What keeps two sweeps from
 * queuing the same work twice is the job ids of schedule.ts: a start has one per grant, an expiry or a pass
 * renewal one per grant and minute, a lapsed lease one per lease, and BullMQ keeps one job per id. Where two
 * jobs for one grant do run (sweeps a minute apart, or a re-queue racing a live job), a provisioning or expiry
 * run must first take the grant's lease (lease.ts): the second finds it live and stands down.
 */
export async function sweepDueGrants(now = new Date()): Promise<{ expiring: number; provisioning: number; renewals: number; disconnects: number }> {
  const leaseLapsedAt = sql<string | Date>`coalesce(${grants.leaseUntil}, ${grants.updatedAt} + ${leaseMs()} * interval '1 millisecond')`;
  // The sweeper reads the grants of every MSP.
  const due = await systemTxBypassingRls((tx) =>
    tx
      .select({ id: grants.id, mspId: grants.mspId, state: grants.state, startAt: grants.startAt, endsAt: grants.endsAt, leaseLapsedAt })
      .from(grants)
      .where(
        or(
          and(eq(grants.state, "active"), lte(grants.endsAt, now)),
          and(eq(grants.state, "active"), isNotNull(grants.endReason)),
          // A run holds a lease while it works or waits for its retry; an unclaimed one counts from the last change.
          and(inArray(grants.state, ["expiring", "provisioning"]), sql`${leaseLapsedAt} < now()`),
          and(eq(grants.state, "irrevocable"), lte(grants.nextExpiryAttemptAt, now)),
          and(eq(grants.state, "approved"), lte(grants.startAt, now)),
        ),
      )
      .orderBy(grants.endsAt)
      .limit(BATCH)
      .for("update", { of: grants, skipLocked: true }),
  );
  let expiring = 0;
  let provisioning = 0;
  for (const grant of due) {
    const lapsedLease = grant.state === "expiring" || grant.state === "provisioning" ? new Date(grant.leaseLapsedAt) : undefined;
    if (grant.state === "approved" || grant.state === "provisioning") {
      await scheduleProvisioning(grant, { lapsedLease });
      provisioning += 1;
    } else {
      await scheduleExpiry(grant, { now: true, dedupe: true, lapsedLease });
      expiring += 1;
    }
  }
  const renewals = await sweepTapRenewals(now);
  const disconnects = await completeStalledDisconnects(now);
  return { expiring, provisioning, renewals, disconnects };
}

/** Live pass grants whose pass lapses within RENEW_BEFORE_MS and before the grant ends. */
async function sweepTapRenewals(now: Date): Promise<number> {
  // The sweeper reads the grants of every MSP.
  const due = await systemTxBypassingRls((tx) =>
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
