import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { deliveryStates } from "@/lib/vocabulary/notification-events";
import { createdAt, mspId, mspIsolation, tstz } from "./_columns";
import { grantHooks } from "./grant-hooks";
import { members } from "./members";
import { msps } from "./msps";
import { notificationEndpoints } from "./notification-endpoints";
import { notificationOutbox } from "./notification-outbox";

/**
 * One event for one recipient: an endpoint, or a member's own e-mail. Its id is the message id receivers see
 * (`webhook-id`, the e-mail's Message-ID) on every attempt, so they can drop a repeat. A run claims it with a
 * lease: a worker that dies mid-send leaves it to lapse, and the sweeper sends it again.
 */
export const notificationDeliveries = pgTable(
  "notification_deliveries",
  {
    id: text("id").primaryKey(),
    mspId: mspId(() => msps.id),
    outboxId: text("outbox_id").notNull().references(() => notificationOutbox.id, { onDelete: "cascade" }),
    endpointId: text("endpoint_id").references(() => notificationEndpoints.id, { onDelete: "cascade" }),
    memberId: text("member_id").references(() => members.id, { onDelete: "cascade" }),
    /** A hook's session_ended call for its grant: one per grant and hook, ever. */
    grantHookId: text("grant_hook_id").references(() => grantHooks.id, { onDelete: "cascade" }),
    state: text("state", { enum: deliveryStates }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: tstz("next_attempt_at").notNull().defaultNow(),
    leaseUntil: tstz("lease_until"),
    lastAttemptAt: tstz("last_attempt_at"),
    /** HTTP status of the last attempt (webhooks), or null. */
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    deliveredAt: tstz("delivered_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("notification_deliveries_endpoint_uq").on(t.outboxId, t.endpointId),
    uniqueIndex("notification_deliveries_member_uq").on(t.outboxId, t.memberId),
    uniqueIndex("notification_deliveries_grant_hook_uq").on(t.grantHookId),
    index("notification_deliveries_due_idx").on(t.nextAttemptAt).where(sql`${t.state} = 'pending'`),
    index("notification_deliveries_endpoint_log_idx").on(t.mspId, t.endpointId, t.createdAt),
    mspIsolation("notification_deliveries", t.mspId),
  ],
);

export type NotificationDelivery = typeof notificationDeliveries.$inferSelect;
