import { and, eq, notExists } from "drizzle-orm";
import { accessLevels, customerAccessLevels, delegationAccessLevels, delegations } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { recordAudit } from "@/lib/services/audit/record";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { endUnentitledGrants, startExpiries } from "@/lib/services/grants/end-unentitled";
import { getAccessLevelInMsp } from "./internal";

/**
 * Retires an access level: it leaves every customer and delegation (emptied delegations go) and every
 * grant that holds it ends now; history keeps its name.
 */
export async function archiveAccessLevel(ctx: ServiceContext, accessLevelId: string) {
  requirePermission(ctx, "access_levels:manage");
  const unentitled = await withMspTx(ctx.mspId, async (tx) => {
    const level = await getAccessLevelInMsp(tx, ctx.mspId, accessLevelId);
    if (level.archivedAt) return null;
    await tx.update(accessLevels).set({ archivedAt: new Date() }).where(and(eq(accessLevels.id, level.id), eq(accessLevels.mspId, ctx.mspId)));
    await tx.delete(customerAccessLevels).where(and(eq(customerAccessLevels.mspId, ctx.mspId), eq(customerAccessLevels.accessLevelId, level.id)));
    await tx.delete(delegationAccessLevels).where(and(eq(delegationAccessLevels.mspId, ctx.mspId), eq(delegationAccessLevels.accessLevelId, level.id)));
    // A delegation left with no access level delegates nothing: remove it rather than keep an empty grant of visibility.
    const remaining = tx.select({ id: delegationAccessLevels.delegationId }).from(delegationAccessLevels).where(and(eq(delegationAccessLevels.mspId, ctx.mspId), eq(delegationAccessLevels.delegationId, delegations.id)));
    await tx.delete(delegations).where(and(eq(delegations.mspId, ctx.mspId), notExists(remaining)));
    const ended = await endUnentitledGrants(tx, ctx, "access_level_archived", { accessLevelId: level.id });
    await recordAudit(tx, ctx, { action: "access_level.archived", target: { type: "access_level", id: level.id, label: level.name } });
    return ended;
  });
  if (unentitled) await startExpiries(unentitled);
}
