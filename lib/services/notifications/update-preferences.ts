import { notificationPreferences } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { requireMember, type ServiceContext } from "@/lib/services/context";
import { preferencesInput } from "./schemas";

/** Sets which events the acting member gets no e-mail about. */
export async function updateMyNotificationPreferences(ctx: ServiceContext, input: unknown) {
  const me = requireMember(ctx);
  const { mutedEvents } = preferencesInput.parse(input);
  const unique = [...new Set(mutedEvents)];
  await withMspTx(ctx.mspId, (tx) =>
    tx
      .insert(notificationPreferences)
      .values({ memberId: me.memberId, mspId: ctx.mspId, mutedEvents: unique })
      .onConflictDoUpdate({ target: notificationPreferences.memberId, set: { mutedEvents: unique, updatedAt: new Date() } }),
  );
  return { mutedEvents: unique };
}
