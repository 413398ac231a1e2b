import { and, eq } from "drizzle-orm";
import { delegations } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { requirePermission, type ServiceContext } from "@/lib/services/context";

export async function removeDelegation(ctx: ServiceContext, delegationId: string) {
  requirePermission(ctx, "delegations:manage");
  await withMspTx(ctx.mspId, async (tx) => {
    const [row] = await tx
      .delete(delegations)
      .where(and(eq(delegations.id, delegationId), eq(delegations.mspId, ctx.mspId)))
      .returning();
    if (!row) throw notFound("Delegation");
    await recordAudit(tx, ctx, { action: "delegation.removed", target: { type: "delegation", id: row.id }, metadata: { customerId: row.customerId, memberId: row.memberId, teamId: row.teamId } });
  });
}
