import { and, eq } from "drizzle-orm";
import { notificationEndpoints } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { recordAudit } from "@/lib/services/audit/record";
import { requireFreshStepUp, requirePermission, type ServiceContext } from "@/lib/services/context";
import { lockEndpoint } from "./internal";

/** Removes an endpoint with its delivery log; needs a fresh passkey. */
export async function removeEndpoint(ctx: ServiceContext, endpointId: string): Promise<void> {
  requirePermission(ctx, "notifications:manage");
  requireFreshStepUp(ctx);
  await withMspTx(ctx.mspId, async (tx) => {
    const current = await lockEndpoint(tx, ctx, endpointId);
    await tx.delete(notificationEndpoints).where(and(eq(notificationEndpoints.id, current.id), eq(notificationEndpoints.mspId, ctx.mspId)));
    await recordAudit(tx, ctx, { action: "notification.endpoint_removed", target: { type: "notification_endpoint", id: current.id, label: current.name } });
  });
}
