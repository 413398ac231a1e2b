import { and, eq } from "drizzle-orm";
import { notificationPreferences } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { requireMember, type ServiceContext } from "@/lib/services/context";

/** The acting member's own e-mail notifications: which events they muted. */
export async function getMyNotificationPreferences(ctx: ServiceContext) {
  const me = requireMember(ctx);
  const [row] = await withMspTx(ctx.mspId, (tx) =>
    tx.select().from(notificationPreferences).where(and(eq(notificationPreferences.memberId, me.memberId), eq(notificationPreferences.mspId, ctx.mspId))),
  );
  return { mutedEvents: row?.mutedEvents ?? [] };
}
