import { and, asc, eq, sql } from "drizzle-orm";
import { teamMembers, teams } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { requirePermission, type ServiceContext } from "@/lib/services/context";

export async function listTeams(ctx: ServiceContext) {
  requirePermission(ctx, "members:read");
  return withMspTx(ctx.mspId, (tx) =>
    tx
      .select({
        id: teams.id,
        name: teams.name,
        memberIds: sql<string[]>`coalesce(array_agg(${teamMembers.memberId}) filter (where ${teamMembers.memberId} is not null), '{}')`,
      })
      .from(teams)
      .leftJoin(teamMembers, and(eq(teamMembers.teamId, teams.id), eq(teamMembers.mspId, teams.mspId)))
      .where(eq(teams.mspId, ctx.mspId))
      .groupBy(teams.id)
      .orderBy(asc(teams.name)),
  );
}
