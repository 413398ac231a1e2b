import { and, eq, inArray, isNotNull, lte, or, sql } from "drizzle-orm";
import { grants } from "@/db/schema";
import { withSystemTx } from "@/db/tx";
import { scheduleExpiry, scheduleProvisioning } from "./schedule";

const BATCH = 500;

/**
 * Job grant.sweep (every SWEEP_EVERY_SECONDS): Postgres is the truth, Redis timers an optimisation.
 * Finds what is due — ends past, ended-early grants not yet expiring, irrevocable grants whose daily
 * retry is due, approved grants whose start has come — and (re)queues their jobs. Rows are claimed with
 * FOR UPDATE SKIP LOCKED, so several workers sweeping at once split the work instead of repeating it.
 */
export async function sweepDueGrants(now = new Date()): Promise<{ expiring: number; provisioning: number }> {
  const due = await withSystemTx((tx) =>
    tx
      .select({ id: grants.id, mspId: grants.mspId, state: grants.state, startAt: grants.startAt, endsAt: grants.endsAt })
      .from(grants)
      .where(
        or(
          and(inArray(grants.state, ["active", "expiring"]), lte(grants.endsAt, now)),
          and(eq(grants.state, "active"), isNotNull(grants.endReason)),
          and(eq(grants.state, "expiring"), lte(grants.expiryStartedAt, sql`${now}::timestamptz - interval '1 minute'`)),
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
    if (grant.state === "approved") {
      await scheduleProvisioning(grant);
      provisioning += 1;
    } else {
      await scheduleExpiry(grant, { now: true, dedupe: true });
      expiring += 1;
    }
  }
  return { expiring, provisioning };
}
