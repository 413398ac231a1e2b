import { and, eq } from "drizzle-orm";
import { delegations } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { endUnentitledGrants, startExpiries } from "@/lib/services/grants/end-unentitled";
import { memberIdsOfTeam } from "@/lib/services/teams/internal";

/** Removes a delegation; the grants that rested on it alone end now (another delegation or a team may still cover one). */
export async function removeDelegation(ctx: ServiceContext, delegationId: string) {
  requirePermission(ctx, "delegations:manage");
  const unentitled = await withMspTx(ctx.mspId, async (tx) => {
    const [row] = await tx
      .delete(delegations)
      .where(and(eq(delegations.id, delegationId), eq(delegations.mspId, ctx.mspId)))
      .returning();
    if (!row) throw notFound("Delegation");
    const memberIds = row.memberId ? [row.memberId] : await memberIdsOfTeam(tx, ctx.mspId, row.teamId!);
    const ended = await endUnentitledGrants(tx, ctx, "delegation_removed", { memberIds, customerId: row.customerId ?? undefined });
    await recordAudit(tx, ctx, { action: "delegation.removed", target: { type: "delegation", id: row.id }, metadata: { customerId: row.customerId, memberId: row.memberId, teamId: row.teamId } });
    return ended;
  });
  await startExpiries(unentitled);
}
