import { eq } from "drizzle-orm";
import { notificationSettings } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { env } from "@/lib/env";
import { requirePermission, type ServiceContext } from "@/lib/services/context";

/** The MSP's notification settings (defaults until saved); the SMTP password only as "set or not". */
export async function getNotificationSettings(ctx: ServiceContext) {
  requirePermission(ctx, "notifications:manage");
  const [row] = await withMspTx(ctx.mspId, (tx) => tx.select().from(notificationSettings).where(eq(notificationSettings.mspId, ctx.mspId)));
  return {
    smtpHost: row?.smtpHost ?? null,
    smtpPort: row?.smtpPort ?? null,
    smtpSecure: row?.smtpSecure ?? false,
    smtpUser: row?.smtpUser ?? null,
    smtpPasswordSet: Boolean(row?.smtpPasswordEnvelope),
    smtpFrom: row?.smtpFrom ?? null,
    reminderMinutes: row?.reminderMinutes ?? 10,
    irrevocableRepeatMinutes: row?.irrevocableRepeatMinutes ?? 60,
    /** Whether e-mail goes out through the server's SMTP_URL when no SMTP host is set here. */
    serverSmtp: Boolean(env.SMTP_URL),
  };
}
