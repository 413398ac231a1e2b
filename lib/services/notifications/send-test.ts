import { withMspTx } from "@/db/tx";
import { recordAudit } from "@/lib/services/audit/record";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { testEvent } from "@/lib/vocabulary/notification-events";
import { enqueueNotification } from "./enqueue";
import { lockEndpoint } from "./internal";

/** Queues a test message to one endpoint (even a turned-off one, to check a fix); its result shows in the delivery log. */
export async function sendTestNotification(ctx: ServiceContext, endpointId: string): Promise<{ messageId: string }> {
  requirePermission(ctx, "notifications:manage");
  return withMspTx(ctx.mspId, async (tx) => {
    const endpoint = await lockEndpoint(tx, ctx, endpointId);
    const messageId = (await enqueueNotification(tx, ctx, { event: testEvent, endpointId: endpoint.id, path: "/notifications" }))!;
    await recordAudit(tx, ctx, { action: "notification.test_sent", target: { type: "notification_endpoint", id: endpoint.id, label: endpoint.name } });
    return { messageId };
  });
}
