import { and, eq, isNull, lt, lte, or, sql } from "drizzle-orm";
import { members, notificationDeliveries, notificationEndpoints, notificationOutbox, notificationSettings, type NotificationEndpoint } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { nextRetryDelayMs, shouldDisable } from "@/lib/notifications/retry-schedule";
import { recordAudit } from "@/lib/services/audit/record";
import { systemContext } from "@/lib/services/context";
import { testEvent, type OutboxEvent } from "@/lib/vocabulary/notification-events";
import { prepareSessionEnded, sendSessionEnded, type SessionEndedCall } from "@/lib/services/hooks/session-ended";
import { sendNotification, type Recipient, type SendResult } from "./send";

/** A claim outlasts the longest send, so only a dead worker's claim lapses. */
export const deliveryLeaseMs = () => (env.NOTIFY_SEND_TIMEOUT_SECONDS + env.JOB_LOCK_SECONDS) * 1000;

export type DeliveryOutcome =
  | { outcome: "delivered" }
  | { outcome: "retry"; attempts: number; retryInMs: number }
  | { outcome: "failed" }
  /** Not due, already done, or claimed by a live run. */
  | { outcome: "skipped" };

/** A turned-off endpoint's end-of-session messages wait for it to be turned on again. */
const WAIT_FOR_ENDPOINT_MS = 60 * 60_000;

/**
 * One attempt at one delivery, if it is due and nobody else holds it: claims it (a lease, counted as an attempt),
 * sends, and writes down the result: delivered, a retry at the schedule's next delay, or given up. Failures
 * count against the endpoint, which is turned off after a long run of them (and the admins told).
 */
export async function deliverNotification(mspId: string, deliveryId: string, now = new Date()): Promise<DeliveryOutcome> {
  const claimed = await withMspTx(mspId, async (tx) => {
    const [delivery] = await tx
      .update(notificationDeliveries)
      .set({ leaseUntil: new Date(now.getTime() + deliveryLeaseMs()), attempts: sql`${notificationDeliveries.attempts} + 1`, lastAttemptAt: now })
      .where(
        and(
          eq(notificationDeliveries.id, deliveryId),
          eq(notificationDeliveries.mspId, mspId),
          eq(notificationDeliveries.state, "pending"),
          lte(notificationDeliveries.nextAttemptAt, now),
          or(isNull(notificationDeliveries.leaseUntil), lt(notificationDeliveries.leaseUntil, now)),
        ),
      )
      .returning();
    if (!delivery) return null;
    const [event] = await tx.select().from(notificationOutbox).where(and(eq(notificationOutbox.id, delivery.outboxId), eq(notificationOutbox.mspId, mspId)));
    const [settings] = await tx.select().from(notificationSettings).where(eq(notificationSettings.mspId, mspId));
    let recipient: Recipient | { hook: SessionEndedCall } | null = null;
    if (delivery.grantHookId) {
      const prepared = await prepareSessionEnded(tx, mspId, delivery.grantHookId, delivery.id);
      if (prepared) recipient = { hook: prepared };
    } else if (delivery.endpointId) {
      const [endpoint] = await tx.select().from(notificationEndpoints).where(and(eq(notificationEndpoints.id, delivery.endpointId), eq(notificationEndpoints.mspId, mspId)));
      if (endpoint) recipient = { endpoint };
    } else if (delivery.memberId) {
      const [member] = await tx
        .select({ id: members.id, email: members.email, name: members.displayName, status: members.status, timeZone: members.timeZone })
        .from(members)
        .where(and(eq(members.id, delivery.memberId), eq(members.mspId, mspId)));
      if (member?.status === "active") recipient = { member };
    }
    return { delivery, event: event!, settings: settings ?? null, recipient };
  });
  if (!claimed) return { outcome: "skipped" };
  const { delivery, event, recipient } = claimed;
  const eventName = event.event as OutboxEvent;

  let result: SendResult;
  let counts = true;
  if (!recipient) {
    result = { ok: false, status: null, error: "The recipient no longer exists or is disabled.", retryAfterMs: null };
  } else if ("endpoint" in recipient && !recipient.endpoint.enabled && eventName !== testEvent) {
    if (eventName === "grant.ended") return settle(mspId, deliveryId, { state: "pending", attempts: delivery.attempts - 1, retryInMs: WAIT_FOR_ENDPOINT_MS, error: "Endpoint turned off; waiting for it to be turned on." }, now);
    result = { ok: false, status: null, error: "The endpoint was turned off.", retryAfterMs: null };
    counts = false;
  } else if ("hook" in recipient) {
    result = await sendSessionEnded(systemContext(mspId, "notification.deliver"), recipient.hook);
  } else {
    result = await sendNotification({ recipient, payload: event.payload, eventId: event.id, deliveryId, settings: claimed.settings, now });
  }

  if (result.ok) {
    await withMspTx(mspId, async (tx) => {
      await tx
        .update(notificationDeliveries)
        .set({ state: "delivered", deliveredAt: new Date(), leaseUntil: null, lastStatus: result.status, lastError: null })
        .where(and(eq(notificationDeliveries.id, deliveryId), eq(notificationDeliveries.mspId, mspId)));
      if (delivery.endpointId) {
        await tx
          .update(notificationEndpoints)
          .set({ consecutiveFailures: 0, failingSince: null })
          .where(and(eq(notificationEndpoints.id, delivery.endpointId), eq(notificationEndpoints.mspId, mspId)));
      }
    });
    return { outcome: "delivered" };
  }
  // A hook's session_ended is retried until acknowledged, as the end of a session is.
  const retryInMs = recipient ? nextRetryDelayMs("hook" in recipient ? "grant.ended" : eventName, delivery.attempts, result.retryAfterMs) : null;
  const outcome = await settle(mspId, deliveryId, { state: retryInMs === null ? "failed" : "pending", attempts: delivery.attempts, retryInMs, error: result.error, status: result.status }, now);
  if (counts && recipient && "endpoint" in recipient && eventName !== testEvent) await countFailure(mspId, recipient.endpoint, now);
  return outcome;
}

async function settle(
  mspId: string,
  deliveryId: string,
  s: { state: "pending" | "failed"; attempts: number; retryInMs: number | null; error: string; status?: number | null },
  now: Date,
): Promise<DeliveryOutcome> {
  await withMspTx(mspId, (tx) =>
    tx
      .update(notificationDeliveries)
      .set({
        state: s.state,
        attempts: s.attempts,
        leaseUntil: null,
        lastError: s.error,
        lastStatus: s.status ?? null,
        ...(s.retryInMs !== null ? { nextAttemptAt: new Date(now.getTime() + s.retryInMs) } : {}),
      })
      .where(and(eq(notificationDeliveries.id, deliveryId), eq(notificationDeliveries.mspId, mspId))),
  );
  if (s.state === "failed") return { outcome: "failed" };
  return { outcome: "retry", attempts: s.attempts, retryInMs: s.retryInMs! };
}

/** One more failure in the endpoint's run; a run long and old enough turns it off and alerts the admins. */
async function countFailure(mspId: string, endpoint: NotificationEndpoint, now: Date): Promise<void> {
  const ctx = systemContext(mspId, "notification.deliver");
  await withMspTx(mspId, async (tx) => {
    const [row] = await tx
      .update(notificationEndpoints)
      .set({ consecutiveFailures: sql`${notificationEndpoints.consecutiveFailures} + 1`, failingSince: sql`coalesce(${notificationEndpoints.failingSince}, ${now.toISOString()}::timestamptz)` })
      .where(and(eq(notificationEndpoints.id, endpoint.id), eq(notificationEndpoints.mspId, mspId), eq(notificationEndpoints.enabled, true)))
      .returning();
    if (!row || !shouldDisable(row.consecutiveFailures, row.failingSince!, now)) return;
    const reason = `${row.consecutiveFailures} deliveries in a row failed since ${row.failingSince!.toISOString()}.`;
    await tx
      .update(notificationEndpoints)
      .set({ enabled: false, disabledReason: reason, updatedAt: new Date() })
      .where(and(eq(notificationEndpoints.id, endpoint.id), eq(notificationEndpoints.mspId, mspId)));
    await recordAudit(tx, ctx, {
      action: "notification.endpoint_disabled",
      result: "failure",
      reason,
      target: { type: "notification_endpoint", id: endpoint.id, label: endpoint.name },
    });
    logger.warn({ mspId, endpointId: endpoint.id, failures: row.consecutiveFailures }, "notification endpoint turned off after persistent failure");
  });
}
