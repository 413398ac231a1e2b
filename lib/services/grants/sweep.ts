import { and, eq, gt, gte, inArray, isNotNull, isNull, like, lte, or, sql } from "drizzle-orm";
import { grants } from "@/db/schema";
import { systemTxBypassingRls, withMspTx } from "@/db/tx";
import { expireApprovals } from "@/lib/services/approvals/expire";
import { recheckUnhealthyConnections } from "@/lib/services/connections/recheck-unhealthy";
import { completeStalledDisconnects } from "@/lib/services/connections/complete-disconnect";
import { queue } from "@/lib/queue/producer";
import { leaseMs, leaseProcessSilent, waitedForJob } from "./lease";
import { scheduleExpiry, scheduleProvisioning, scheduleTapRenewal } from "./schedule";
import { RENEW_BEFORE_MS } from "./tap-renewal";

const BATCH = 500;

/**
 * The sweeper (every SWEEP_EVERY_SECONDS, on a timer in every worker: jobs/worker.ts): Postgres is the truth,
 * Redis timers an optimisation. Finds what is due — ends past, ended-early grants not yet expiring, irrevocable
 * grants whose next retry is due, approved grants whose start has come, and provisioning or expiry whose run's
 * lease lapsed (Redis lost its job) or whose worker process stopped beating (it died), or that wait for a retry
 * Redis lost — and (re)queues their jobs; so too Temporary Access
 * Passes due for renewal. It also completes disconnects whose last grant ended without completing them, and
 * expires requests that waited too long for approval.
 *
 * Several workers may sweep at once and find the same grants: the selects' row locks end when their
 * transactions commit, before anything is queued, so they do not split the work. What keeps two sweeps from
 * queuing the same work twice is the job ids of schedule.ts: a start has one per grant, an expiry or a pass
 * renewal one per grant and minute, a lapsed lease one per lease, and BullMQ keeps one job per id. Where two
 * jobs for one grant do run (sweeps a minute apart, or a re-queue racing a live job), a provisioning or expiry
 * run must first take the grant's lease (lease.ts): the second finds it live and stands down.
 */
export async function sweepDueGrants(now = new Date()): Promise<{ expiring: number; provisioning: number; renewals: number; disconnects: number; rechecks: number; approvalsExpired: number }> {
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
          // A run whose worker process stopped beating holds nothing, though its lease has not lapsed yet.
          and(inArray(grants.state, ["expiring", "provisioning"]), or(sql`${leaseLapsedAt} < now()`, leaseProcessSilent)),
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
  for (const grant of [...due, ...(await lostRetries())]) {
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
  const rechecks = await recheckUnhealthyConnections();
  const approvalsExpired = await expireApprovals(now);
  return { expiring, provisioning, renewals, disconnects, rechecks, approvalsExpired };
}

/**
 * Provisioning and expiry waiting for a retry that Redis no longer holds (its keys were lost): their lease
 * would keep them waiting until it lapsed, so it is ended now, and the work is queued again like a lapsed one.
 */
async function lostRetries() {
  // The sweeper reads the grants of every MSP.
  const waiting = await systemTxBypassingRls((tx) =>
    tx
      .select({ id: grants.id, mspId: grants.mspId, state: grants.state, startAt: grants.startAt, endsAt: grants.endsAt, leaseHolder: grants.leaseHolder })
      .from(grants)
      .where(and(inArray(grants.state, ["expiring", "provisioning"]), like(grants.leaseHolder, "waiting:%"), gte(grants.leaseUntil, sql`now()`)))
      .limit(BATCH),
  );
  const lost = [];
  for (const grant of waiting) {
    const jobId = waitedForJob(grant.leaseHolder)!;
    if (await queue(grant.state === "expiring" ? "expiry" : "provisioning").getJob(jobId)) continue;
    // Only while that retry still holds it: a run that took the lease meanwhile keeps it.
    const ended = await withMspTx(grant.mspId, (tx) =>
      tx
        .update(grants)
        .set({ leaseHolder: null, leaseUntil: null })
        .where(and(eq(grants.id, grant.id), eq(grants.mspId, grant.mspId), eq(grants.leaseHolder, grant.leaseHolder!)))
        .returning({ leaseLapsedAt: sql<Date>`now()` }),
    );
    if (ended[0]) lost.push({ ...grant, leaseLapsedAt: ended[0].leaseLapsedAt });
  }
  return lost;
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
