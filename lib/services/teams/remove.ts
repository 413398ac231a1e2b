import { and, eq } from "drizzle-orm";
import { teams } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { recordAudit } from "@/lib/services/audit/record";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { endUnentitledGrants, startExpiries } from "@/lib/services/grants/end-unentitled";
import { getTeamInMsp, memberIdsOfTeam } from "./internal";

/** Deletes a team; its memberships and delegations go with it, and so do the grants only they covered. */
export async function removeTeam(ctx: ServiceContext, teamId: string) {
  requirePermission(ctx, "delegations:manage");
  const unentitled = await withMspTx(ctx.mspId, async (tx) => {
    const team = await getTeamInMsp(tx, ctx.mspId, teamId);
    // Read before the delete takes the memberships with it.
    const memberIds = await memberIdsOfTeam(tx, ctx.mspId, team.id);
    await tx.delete(teams).where(and(eq(teams.id, team.id), eq(teams.mspId, ctx.mspId)));
    const ended = await endUnentitledGrants(tx, ctx, "delegation_removed", { memberIds });
    await recordAudit(tx, ctx, { action: "team.removed", target: { type: "team", id: team.id, label: team.name } });
    return ended;
  });
  await startExpiries(unentitled);
}
