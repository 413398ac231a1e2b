import { and, eq } from "drizzle-orm";
import { teams } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { recordAudit } from "@/lib/services/audit/record";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { getTeamInMsp } from "./internal";

/** Deletes a team; its memberships and delegations go with it. */
export async function removeTeam(ctx: ServiceContext, teamId: string) {
  requirePermission(ctx, "delegations:manage");
  await withMspTx(ctx.mspId, async (tx) => {
    const team = await getTeamInMsp(tx, ctx.mspId, teamId);
    await tx.delete(teams).where(and(eq(teams.id, team.id), eq(teams.mspId, ctx.mspId)));
    await recordAudit(tx, ctx, { action: "team.removed", target: { type: "team", id: team.id, label: team.name } });
  });
}
