import { boolean, integer, pgTable, text } from "drizzle-orm/pg-core";
import { mspId, mspIsolation, updatedAt } from "./_columns";
import { msps } from "./msps";

/**
 * An MSP's notification settings: its own SMTP server (unset: the server's SMTP_URL) and the timing of
 * reminders. The SMTP password is envelope-encrypted with context "notification-smtp:<msp id>".
 */
export const notificationSettings = pgTable(
  "notification_settings",
  {
    mspId: mspId(() => msps.id).primaryKey(),
    smtpHost: text("smtp_host"),
    smtpPort: integer("smtp_port"),
    /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
    smtpSecure: boolean("smtp_secure").notNull().default(false),
    smtpUser: text("smtp_user"),
    smtpPasswordEnvelope: text("smtp_password_envelope"),
    smtpFrom: text("smtp_from"),
    /** Minutes before a grant's end for the "ending soon" reminder. */
    reminderMinutes: integer("reminder_minutes").notNull().default(10),
    /** How often an irrevocable grant is announced again while it stays irrevocable. */
    irrevocableRepeatMinutes: integer("irrevocable_repeat_minutes").notNull().default(60),
    updatedAt: updatedAt(),
  },
  (t) => [mspIsolation("notification_settings", t.mspId)],
);

export type NotificationSettings = typeof notificationSettings.$inferSelect;
