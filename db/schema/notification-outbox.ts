import { sql } from "drizzle-orm";
import { boolean, index, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import type { NotificationPayload } from "@/lib/vocabulary/notification-payload";
import { createdAt, mspId, mspIsolation, tstz } from "./_columns";
import { msps } from "./msps";

/**
 * Events to notify about, written in the transaction of the change they report (lib/services/audit/record.ts),
 * so an event is never announced without having happened nor lost after it did. The worker fans each row out
 * into deliveries (one per recipient) and marks it; the payload is frozen here, so every retry sends the same.
 */
export const notificationOutbox = pgTable(
  "notification_outbox",
  {
    id: text("id").primaryKey(),
    mspId: mspId(() => msps.id),
    event: text("event").notNull(),
    grantId: text("grant_id"),
    customerId: text("customer_id"),
    payload: jsonb("payload").$type<NotificationPayload>().notNull(),
    /** Members the event is addressed to by name (the requester, the approvers asked). */
    memberIds: text("member_ids").array().notNull().default([]),
    /** Addressed to the MSP's owners and admins too, whoever they are when it is sent. */
    toAdmins: boolean("to_admins").notNull().default(false),
    /** Set for events that happen once per subject ("ending soon" of a grant): a second insert is a no-op. */
    dedupeKey: text("dedupe_key"),
    /** Only for a test message: the one endpoint it goes to. */
    endpointId: text("endpoint_id"),
    createdAt: createdAt(),
    fannedOutAt: tstz("fanned_out_at"),
  },
  (t) => [
    uniqueIndex("notification_outbox_dedupe_uq").on(t.mspId, t.dedupeKey),
    index("notification_outbox_pending_idx").on(t.createdAt).where(sql`${t.fannedOutAt} is null`),
    index("notification_outbox_grant_idx").on(t.mspId, t.grantId, t.event),
    mspIsolation("notification_outbox", t.mspId),
  ],
);

export type NotificationOutboxRow = typeof notificationOutbox.$inferSelect;
