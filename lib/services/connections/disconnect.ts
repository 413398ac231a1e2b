import { and, eq } from "drizzle-orm";
import { entraConnections } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { getVisibleCustomer } from "@/lib/services/customers/internal";
import { endUnentitledGrants, startExpiries } from "@/lib/services/grants/end-unentitled";
import { settleDisconnect, type DisconnectOutcome } from "./complete-disconnect";

/**
 * Stops using a customer's tenant, taking the access away first: new grants are refused at once, every
 * live grant there ends now (tenant_disconnected), and the connection stays usable for their verified
 * expiry. It becomes disconnected with the last grant's end (complete-disconnect.ts), or at once when
 * none is live. One call is enough; calling again while access is being taken away reports the progress.
 * Stint forgets nothing it needs for the audit trail; removing the consent itself happens in the tenant
 * (Enterprise applications → Stint → Delete).
 */
export async function disconnectCustomer(ctx: ServiceContext, customerId: string): Promise<DisconnectOutcome> {
  requirePermission(ctx, "customers:manage");
  const { outcome, unentitled } = await withMspTx(ctx.mspId, async (tx) => {
    const customer = await getVisibleCustomer(tx, ctx, customerId);
    // Locked before the grants: a request in flight reads it for share, so it either committed before (and its
    // grant is ended here) or waits and sees the disconnect.
    const [current] = await tx
      .select()
      .from(entraConnections)
      .where(and(eq(entraConnections.customerId, customer.id), eq(entraConnections.mspId, ctx.mspId), eq(entraConnections.status, "connected")))
      .for("update");
    if (!current) throw notFound("Connection");
    const firstCall = current.disconnectRequestedAt === null;
    const by = ctx.actor.type === "member" || ctx.actor.type === "token" ? ctx.actor.memberId : null;
    const [connection] = firstCall
      ? await tx
          .update(entraConnections)
          .set({ disconnectRequestedAt: new Date(), disconnectRequestedBy: by, updatedAt: new Date() })
          .where(and(eq(entraConnections.id, current.id), eq(entraConnections.mspId, ctx.mspId)))
          .returning()
      : [current];
    const unentitled = await endUnentitledGrants(tx, ctx, "tenant_disconnected", { customerId: customer.id });
    const outcome = await settleDisconnect(tx, ctx, connection!, customer);
    if (outcome.status === "disconnecting" && firstCall) {
      await recordAudit(tx, ctx, {
        action: "customer.disconnect_requested",
        target: { type: "customer", id: customer.id, label: customer.name },
        metadata: { tenant: current.tenantId, liveGrants: outcome.liveGrants },
      });
    }
    return { outcome, unentitled };
  });
  await startExpiries(unentitled);
  return outcome;
}
