import { and, desc, eq, sql } from "drizzle-orm";
import { customers, delegationAccessLevels, delegations, members, teams } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { requirePermission, type ServiceContext } from "@/lib/services/context";

/** Every delegation of the MSP, optionally of one customer, with who, where and which levels. */
export async function listDelegations(ctx: ServiceContext, filter: { customerId?: string } = {}) {
  requirePermission(ctx, "customers:read_all");
  return withMspTx(ctx.mspId, (tx) =>
    tx
      .select({
        id: delegations.id,
        memberId: delegations.memberId,
        memberName: members.displayName,
        teamId: delegations.teamId,
        teamName: teams.name,
        customerId: delegations.customerId,
        customerName: customers.name,
        maxDurationMinutes: delegations.maxDurationMinutes,
        accessLevelIds: sql<string[]>`array_agg(${delegationAccessLevels.accessLevelId})`,
        createdAt: delegations.createdAt,
      })
      .from(delegations)
      .leftJoin(members, and(eq(members.id, delegations.memberId), eq(members.mspId, delegations.mspId)))
      .leftJoin(teams, and(eq(teams.id, delegations.teamId), eq(teams.mspId, delegations.mspId)))
      .leftJoin(customers, and(eq(customers.id, delegations.customerId), eq(customers.mspId, delegations.mspId)))
      .innerJoin(delegationAccessLevels, and(eq(delegationAccessLevels.delegationId, delegations.id), eq(delegationAccessLevels.mspId, delegations.mspId)))
      .where(and(eq(delegations.mspId, ctx.mspId), filter.customerId ? eq(delegations.customerId, filter.customerId) : undefined))
      .groupBy(delegations.id, members.displayName, teams.name, customers.name)
      .orderBy(desc(delegations.createdAt)),
  );
}
