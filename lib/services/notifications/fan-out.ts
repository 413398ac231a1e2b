import { and, arrayContains, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { members, notificationDeliveries, notificationEndpoints, notificationOutbox, notificationPreferences, notificationSettings } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { env } from "@/lib/env";
import { newId } from "@/lib/ids";
import { sessionEndingEvents, testEvent, type NotificationEvent } from "@/lib/vocabulary/notification-events";
import { sessionEndedHooks } from "@/lib/services/hooks/session-ended";

/**
 * Turns one outbox event into its deliveries: every enabled endpoint subscribed to it (and to its customer,
 * when filtered), every member it is addressed to who has not muted it, and, when it is the end of a grant, the
 * grant's hooks (their session_ended call, one per grant and hook ever). Runs once per event: the row is
 * locked and marked in the same transaction, and a second run (another worker, the sweeper) finds it done.
 * Returns the ids of the deliveries made.
 */
export async function fanOutNotification(mspId: string, outboxId: string): Promise<string[]> {
  return withMspTx(mspId, async (tx) => {
    const [event] = await tx
      .select()
      .from(notificationOutbox)
      .where(and(eq(notificationOutbox.id, outboxId), eq(notificationOutbox.mspId, mspId), isNull(notificationOutbox.fannedOutAt)))
      .for("update", { skipLocked: true });
    if (!event) return [];
    const rows: (typeof notificationDeliveries.$inferInsert)[] = [];
    // Due by this process's clock, which the first attempt (queued right after) compares with.
    const due = { nextAttemptAt: new Date() };
    if (event.event === testEvent) {
      if (event.endpointId) rows.push({ id: newId("notificationDelivery"), mspId, outboxId, endpointId: event.endpointId, ...due });
    } else {
      const endpoints = await tx
        .select({ id: notificationEndpoints.id })
        .from(notificationEndpoints)
        .where(
          and(
            eq(notificationEndpoints.mspId, mspId),
            eq(notificationEndpoints.enabled, true),
            arrayContains(notificationEndpoints.events, [event.event as NotificationEvent]),
            event.customerId
              ? or(isNull(notificationEndpoints.customerIds), arrayContains(notificationEndpoints.customerIds, [event.customerId]))
              : undefined,
          ),
        );
      for (const e of endpoints) rows.push({ id: newId("notificationDelivery"), mspId, outboxId, endpointId: e.id, ...due });
      // Members' own e-mail needs an SMTP server; without one, nothing would ever be sent, only retried.
      const [smtp] = await tx.select({ host: notificationSettings.smtpHost }).from(notificationSettings).where(eq(notificationSettings.mspId, mspId));
      const mailable = Boolean(smtp?.host || env.SMTP_URL);
      const addressed = or(
        event.memberIds.length ? inArray(members.id, event.memberIds) : sql`false`,
        event.toAdmins ? inArray(members.role, ["owner", "admin"]) : sql`false`,
      );
      const people = !mailable
        ? []
        : await tx
            .select({ id: members.id })
            .from(members)
            .leftJoin(notificationPreferences, and(eq(notificationPreferences.memberId, members.id), eq(notificationPreferences.mspId, mspId)))
            .where(
              and(
                eq(members.mspId, mspId),
                eq(members.status, "active"),
                addressed,
                or(isNull(notificationPreferences.memberId), sql`not (${event.event} = any(${notificationPreferences.mutedEvents}))`),
              ),
            );
      for (const m of people) rows.push({ id: newId("notificationDelivery"), mspId, outboxId, memberId: m.id, ...due });
      // The grant's hooks hear once that its access is over, whichever final event says so.
      if (event.grantId && sessionEndingEvents.has(event.event as NotificationEvent)) {
        for (const grantHookId of await sessionEndedHooks(tx, mspId, event.grantId)) rows.push({ id: newId("notificationDelivery"), mspId, outboxId, grantHookId, ...due });
      }
    }
    const made = rows.length ? await tx.insert(notificationDeliveries).values(rows).onConflictDoNothing().returning({ id: notificationDeliveries.id }) : [];
    await tx.update(notificationOutbox).set({ fannedOutAt: new Date() }).where(and(eq(notificationOutbox.id, outboxId), eq(notificationOutbox.mspId, mspId)));
    return made.map((d) => d.id);
  });
}
