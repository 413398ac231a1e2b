import { pgTable, text } from "drizzle-orm/pg-core";
import type { NotificationEvent } from "@/lib/vocabulary/notification-events";
import { mspId, mspIsolation, updatedAt } from "./_columns";
import { members } from "./members";
import { msps } from "./msps";

/** A member's own e-mail notifications: every event that concerns them, except those muted here. */
export const notificationPreferences = pgTable(
  "notification_preferences",
  {
    memberId: text("member_id").primaryKey().references(() => members.id, { onDelete: "cascade" }),
    mspId: mspId(() => msps.id),
    mutedEvents: text("muted_events").array().$type<NotificationEvent[]>().notNull().default([]),
    updatedAt: updatedAt(),
  },
  (t) => [mspIsolation("notification_preferences", t.mspId)],
);

export type NotificationPreferences = typeof notificationPreferences.$inferSelect;
