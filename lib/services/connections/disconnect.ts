import { and, eq } from "drizzle-orm";
import { entraConnections } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { getVisibleCustomer } from "@/lib/services/customers/internal";

/**
 * Stops using a customer's tenant. Stint forgets nothing it needs for the audit trail; removing the
 * consent itself happens in the tenant (Enterprise applications → Stint → Delete).
 */
export async function disconnectCustomer(ctx: ServiceContext, customerId: string) {
  requirePermission(ctx, "customers:manage");
  await withMspTx(ctx.mspId, async (tx) => {
    const customer = await getVisibleCustomer(tx, ctx, customerId);
    const [row] = await tx
      .update(entraConnections)
      .set({ status: "disconnected", disconnectedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(entraConnections.customerId, customer.id), eq(entraConnections.mspId, ctx.mspId), eq(entraConnections.status, "connected")))
      .returning();
    if (!row) throw notFound("Connection");
    await recordAudit(tx, ctx, {
      action: "customer.disconnected",
      target: { type: "customer", id: customer.id, label: customer.name },
      metadata: { tenant: row.tenantId },
    });
  });
}
