import { notificationSettings } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { recordAudit } from "@/lib/services/audit/record";
import { requireFreshStepUp, requirePermission, type ServiceContext } from "@/lib/services/context";
import { getNotificationSettings } from "./get-settings";
import { settingsInput } from "./schemas";
import { sealSmtpPassword } from "./secrets";

/** Saves the MSP's SMTP server and reminder timing; the password is sealed, and kept when not given. Needs a fresh passkey. */
export async function updateNotificationSettings(ctx: ServiceContext, input: unknown) {
  requirePermission(ctx, "notifications:manage");
  requireFreshStepUp(ctx);
  const { smtpPassword, ...s } = settingsInput.parse(input);
  const values = {
    ...s,
    smtpHost: s.smtpHost || null,
    smtpUser: s.smtpUser || null,
    smtpFrom: s.smtpFrom || null,
    ...(smtpPassword === undefined ? {} : { smtpPasswordEnvelope: smtpPassword ? sealSmtpPassword(ctx.mspId, smtpPassword) : null }),
    updatedAt: new Date(),
  };
  await withMspTx(ctx.mspId, async (tx) => {
    await tx
      .insert(notificationSettings)
      .values({ mspId: ctx.mspId, ...values })
      .onConflictDoUpdate({ target: notificationSettings.mspId, set: values });
    await recordAudit(tx, ctx, {
      action: "notification.settings_changed",
      target: { type: "msp", id: ctx.mspId },
      metadata: { smtpHost: values.smtpHost, smtpPasswordChanged: smtpPassword !== undefined, reminderMinutes: s.reminderMinutes, irrevocableRepeatMinutes: s.irrevocableRepeatMinutes },
    });
  });
  return getNotificationSettings(ctx);
}
