import { and, eq } from "drizzle-orm";
import { accessHooks, psaConnections } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { conflict } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { requireFreshStepUp, requirePermission, type ServiceContext } from "@/lib/services/context";
import { psaConnectionInMsp } from "./internal";

/** Removes a PSA connection, its credentials and its company mappings; refused while a policy's ticket check uses it. */
export async function removePsaConnection(ctx: ServiceContext, connectionId: string) {
  requirePermission(ctx, "access_policies:manage");
  requireFreshStepUp(ctx);
  return withMspTx(ctx.mspId, async (tx) => {
    const connection = await psaConnectionInMsp(tx, ctx.mspId, connectionId);
    const users = await tx.select({ name: accessHooks.name }).from(accessHooks).where(and(eq(accessHooks.mspId, ctx.mspId), eq(accessHooks.psaConnectionId, connection.id)));
    if (users.length) throw conflict(`Ticket checks still use ${connection.name}: ${users.map((u) => u.name).join(", ")}. Remove them from their policies first.`);
    await tx.delete(psaConnections).where(and(eq(psaConnections.id, connection.id), eq(psaConnections.mspId, ctx.mspId)));
    await recordAudit(tx, ctx, { action: "psa_connection.removed", target: { type: "psa_connection", id: connection.id, label: connection.name } });
    return { removed: true };
  });
}
