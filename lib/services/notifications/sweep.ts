import { and, eq, gt, isNull, lt, lte, or, sql } from "drizzle-orm";
import { grants, notificationDeliveries, notificationOutbox, notificationSettings } from "@/db/schema";
import { systemTxBypassingRls, withMspTx } from "@/db/tx";
import { systemContext } from "@/lib/services/context";
import { dispatchNotification } from "./dispatch";
import { enqueueNotification } from "./enqueue";
import { scheduleDelivery } from "./schedule";

const BATCH = 200;
/** What the LISTEN wake-up and the delivery jobs normally handle within this long is left to them. */
const GRACE_MS = 5_000;

const reminderMinutes = sql<number>`coalesce(${notificationSettings.reminderMinutes}, 10)`;
const repeatMinutes = sql<number>`coalesce(${notificationSettings.irrevocableRepeatMinutes}, 60)`;

/**
 * The notifications' sweep (on the worker's sweeper timer): Postgres is the truth, Redis and the LISTEN wake-up
 * optimisations. Fans out events nobody fanned out, re-queues deliveries that are due and unclaimed (their job
 * was lost) or whose claim lapsed (their worker died mid-send), and raises the timed events: a grant's
 * "ending soon" reminder (once per end time) and the repeat of an irrevocable grant's alert.
 */
export async function sweepNotifications(now = new Date()) {
  const before = new Date(now.getTime() - GRACE_MS);
  // The sweeper reads every MSP's outbox and deliveries.
  const { events, due } = await systemTxBypassingRls(async (tx) => ({
    events: await tx
      .select({ id: notificationOutbox.id, mspId: notificationOutbox.mspId })
      .from(notificationOutbox)
      .where(and(isNull(notificationOutbox.fannedOutAt), lt(notificationOutbox.createdAt, before)))
      .orderBy(notificationOutbox.createdAt)
      .limit(BATCH),
    due: await tx
      .select({ id: notificationDeliveries.id, mspId: notificationDeliveries.mspId, attempts: notificationDeliveries.attempts })
      .from(notificationDeliveries)
      .where(
        and(
          eq(notificationDeliveries.state, "pending"),
          lte(notificationDeliveries.nextAttemptAt, now),
          or(lt(notificationDeliveries.leaseUntil, now), and(isNull(notificationDeliveries.leaseUntil), lt(notificationDeliveries.nextAttemptAt, before))),
        ),
      )
      .orderBy(notificationDeliveries.nextAttemptAt)
      .limit(BATCH),
  }));
  let fannedOut = 0;
  for (const e of events) fannedOut += await dispatchNotification(e.mspId, e.id);
  for (const d of due) await scheduleDelivery(d.mspId, d.id, { attempt: d.attempts, sweep: true });
  const reminders = await raiseEndingSoon(now);
  const repeats = await repeatIrrevocable(now);
  return { fannedOut, requeued: due.length, reminders, repeats };
}

/** Active grants within their MSP's reminder window, not yet reminded for this end time. */
async function raiseEndingSoon(now: Date): Promise<number> {
  // Across MSPs: each MSP's own reminder setting.
  const soon = await systemTxBypassingRls((tx) =>
    tx
      .select({ id: grants.id, mspId: grants.mspId, endsAt: grants.endsAt })
      .from(grants)
      .leftJoin(notificationSettings, eq(notificationSettings.mspId, grants.mspId))
      .where(
        and(
          eq(grants.state, "active"),
          isNull(grants.endReason),
          gt(grants.endsAt, now),
          lte(grants.endsAt, sql`${now.toISOString()}::timestamptz + ${reminderMinutes} * interval '1 minute'`),
          sql`not exists (select 1 from ${notificationOutbox} o where o.msp_id = ${grants.mspId} and o.dedupe_key = 'grant.ending_soon:' || ${grants.id} || ':' || extract(epoch from ${grants.endsAt})::bigint)`,
        ),
      )
      .limit(BATCH),
  );
  let raised = 0;
  for (const g of soon) {
    const key = `grant.ending_soon:${g.id}:${Math.floor(g.endsAt!.getTime() / 1000)}`;
    const id = await withMspTx(g.mspId, (tx) =>
      enqueueNotification(tx, systemContext(g.mspId, "notification.sweep"), { event: "grant.ending_soon", grantId: g.id, toRequester: true, dedupeKey: key }),
    );
    if (id) raised += 1;
  }
  return raised;
}

/** Irrevocable grants whose last alert is older than their MSP's repeat interval: alert the admins again. */
async function repeatIrrevocable(now: Date): Promise<number> {
  const stale = await systemTxBypassingRls((tx) =>
    tx
      .select({ id: grants.id, mspId: grants.mspId, repeat: repeatMinutes })
      .from(grants)
      .leftJoin(notificationSettings, eq(notificationSettings.mspId, grants.mspId))
      .where(
        and(
          eq(grants.state, "irrevocable"),
          sql`not exists (select 1 from ${notificationOutbox} o where o.msp_id = ${grants.mspId} and o.grant_id = ${grants.id} and o.event = 'grant.irrevocable'
                and o.created_at > ${now.toISOString()}::timestamptz - ${repeatMinutes} * interval '1 minute')`,
        ),
      )
      .limit(BATCH),
  );
  let repeated = 0;
  for (const g of stale) {
    // One alert per interval even when several workers sweep at once.
    const key = `grant.irrevocable:${g.id}:${Math.floor(now.getTime() / (Number(g.repeat) * 60_000))}`;
    const id = await withMspTx(g.mspId, (tx) =>
      enqueueNotification(tx, systemContext(g.mspId, "notification.sweep"), { event: "grant.irrevocable", grantId: g.id, toAdmins: true, dedupeKey: key, reason: "Still irrevocable." }),
    );
    if (id) repeated += 1;
  }
  return repeated;
}
