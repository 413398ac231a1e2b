import { and, count, eq, inArray, isNotNull, lte, notExists } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { customers, entraConnections, grants, type EntraConnection } from "@/db/schema";
import { withMspTx, systemTxBypassingRls } from "@/db/tx";
import { liveStates } from "@/lib/grants/states";
import { recordAudit } from "@/lib/services/audit/record";
import { systemContext, type ServiceContext } from "@/lib/services/context";

export type DisconnectOutcome = { status: "disconnected" } | { status: "disconnecting"; liveGrants: number };

/**
 * A requested disconnect completes once no grant of the customer is live: the connection becomes
 * disconnected, audited. Until then it stays connected for the expiry jobs that take the access away.
 * Runs in the caller's transaction with the connection row locked.
 */
export async function settleDisconnect(tx: Tx, ctx: ServiceContext, connection: EntraConnection, customer: { id: string; name: string }): Promise<DisconnectOutcome> {
  const [live] = await tx
    .select({ n: count() })
    .from(grants)
    .where(and(eq(grants.mspId, connection.mspId), eq(grants.customerId, customer.id), inArray(grants.state, [...liveStates])));
  if (live && live.n > 0) return { status: "disconnecting", liveGrants: live.n };
  await tx
    .update(entraConnections)
    .set({ status: "disconnected", disconnectedAt: new Date(), updatedAt: new Date() })
    .where(and(eq(entraConnections.id, connection.id), eq(entraConnections.mspId, connection.mspId)));
  await recordAudit(tx, ctx, {
    action: "customer.disconnected",
    target: { type: "customer", id: customer.id, label: customer.name },
    metadata: { tenant: connection.tenantId, requestedBy: connection.disconnectRequestedBy },
  });
  return { status: "disconnected" };
}

/** Whether the customer's connection waits for its grants to end before disconnecting. */
export async function disconnectPending(tx: Tx, mspId: string, customerId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: entraConnections.id })
    .from(entraConnections)
    .where(and(eq(entraConnections.customerId, customerId), eq(entraConnections.mspId, mspId), eq(entraConnections.status, "connected"), isNotNull(entraConnections.disconnectRequestedAt)));
  return row !== undefined;
}

/**
 * After a grant of a customer with a pending disconnect has ended (expiry, a failed provisioning, a
 * revocation at start): completes the disconnect when that was the last live grant, audited as the job that
 * ended it (or the sweeper, for a stalled one). Its own transaction, after the grant's has committed, so two
 * grants ending at once cannot each miss the other's end.
 */
export async function completePendingDisconnect(ctx: ServiceContext, customerId: string): Promise<void> {
  const mspId = ctx.mspId;
  await withMspTx(mspId, async (tx) => {
    const [pending] = await tx
      .select({ connection: entraConnections, name: customers.name })
      .from(entraConnections)
      .innerJoin(customers, and(eq(customers.id, entraConnections.customerId), eq(customers.mspId, entraConnections.mspId)))
      .where(and(eq(entraConnections.customerId, customerId), eq(entraConnections.mspId, mspId), eq(entraConnections.status, "connected"), isNotNull(entraConnections.disconnectRequestedAt)))
      .for("update", { of: entraConnections });
    if (pending) await settleDisconnect(tx, ctx, pending.connection, { id: customerId, name: pending.name });
  });
}

/**
 * The sweeper's backstop: a disconnect whose last grant ended without completing it (the worker died in
 * between) completes here. Only requests older than a minute, so the normal path is not raced.
 */
export async function completeStalledDisconnects(now = new Date()): Promise<number> {
  // The sweeper looks at the connections of every MSP.
  const stalled = await systemTxBypassingRls((tx) =>
    tx
      .select({ mspId: entraConnections.mspId, customerId: entraConnections.customerId })
      .from(entraConnections)
      .where(
        and(
          eq(entraConnections.status, "connected"),
          lte(entraConnections.disconnectRequestedAt, new Date(now.getTime() - 60_000)),
          notExists(
            tx
              .select({ id: grants.id })
              .from(grants)
              .where(and(eq(grants.mspId, entraConnections.mspId), eq(grants.customerId, entraConnections.customerId), inArray(grants.state, [...liveStates]))),
          ),
        ),
      ),
  );
  for (const { mspId, customerId } of stalled) await completePendingDisconnect(systemContext(mspId, "connection.disconnect"), customerId);
  return stalled.length;
}
