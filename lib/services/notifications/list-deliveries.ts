import { and, desc, eq } from "drizzle-orm";
import { notificationDeliveries, notificationOutbox } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { lockEndpoint } from "./internal";

/** An endpoint's delivery log, newest first: each message, its state, attempts and the last answer. */
export async function listDeliveries(ctx: ServiceContext, endpointId: string, limit = 50) {
  requirePermission(ctx, "notifications:manage");
  return withMspTx(ctx.mspId, async (tx) => {
    await lockEndpoint(tx, ctx, endpointId);
    const rows = await tx
      .select({ d: notificationDeliveries, event: notificationOutbox.event })
      .from(notificationDeliveries)
      .innerJoin(notificationOutbox, and(eq(notificationOutbox.id, notificationDeliveries.outboxId), eq(notificationOutbox.mspId, notificationDeliveries.mspId)))
      .where(and(eq(notificationDeliveries.mspId, ctx.mspId), eq(notificationDeliveries.endpointId, endpointId)))
      .orderBy(desc(notificationDeliveries.createdAt))
      .limit(limit);
    return rows.map(({ d, event }) => ({
      id: d.id,
      messageId: d.outboxId,
      event,
      state: d.state,
      attempts: d.attempts,
      lastStatus: d.lastStatus,
      lastError: d.lastError,
      lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
      nextAttemptAt: d.state === "pending" ? d.nextAttemptAt.toISOString() : null,
      deliveredAt: d.deliveredAt?.toISOString() ?? null,
      createdAt: d.createdAt.toISOString(),
    }));
  });
}
