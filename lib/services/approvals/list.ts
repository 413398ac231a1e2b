import { and, arrayContains, asc, eq, isNull, not, or, sql, type SQL } from "drizzle-orm";
import { customers, grants, members } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { hasPermission, requireMember, type ServiceContext } from "@/lib/services/context";
import { grantAccessLevels } from "@/lib/services/grants/label";

/** What waits for this member: requests they may still approve, and break-glass grants not yet reviewed. */
function waitingFor(ctx: ServiceContext, memberId: string): SQL {
  const named = arrayContains(grants.approverIds, [memberId]);
  const restricted = ctx.actor.type === "token" && ctx.actor.customerIds !== null ? sql`${grants.customerId} = any(${[...ctx.actor.customerIds, ""]})` : sql`true`;
  return and(
    eq(grants.mspId, ctx.mspId),
    named,
    restricted,
    or(
      and(eq(grants.state, "pending_approval"), not(arrayContains(grants.approvedBy, [memberId])), sql`${grants.approvalExpiresAt} > now()`),
      and(eq(grants.emergency, true), isNull(grants.reviewedAt)),
    ),
  )!;
}

/** The approval queue of the signed-in member (or a token's owner): oldest first. */
export async function listMyApprovals(ctx: ServiceContext) {
  const me = requireMember(ctx);
  if (!hasPermission(ctx, "approvals:decide")) return [];
  return withMspTx(ctx.mspId, (tx) =>
    tx
      .select({
        id: grants.id,
        state: grants.state,
        customerId: grants.customerId,
        customerName: customers.name,
        memberId: grants.memberId,
        memberName: members.displayName,
        accessLevels: grantAccessLevels,
        durationMinutes: grants.durationMinutes,
        justification: grants.justification,
        ticketRef: grants.ticketRef,
        startAt: grants.startAt,
        approvalExpiresAt: grants.approvalExpiresAt,
        approvalsRequired: grants.approvalsRequired,
        approvedBy: grants.approvedBy,
        emergency: grants.emergency,
        createdAt: grants.createdAt,
      })
      .from(grants)
      .innerJoin(customers, and(eq(customers.id, grants.customerId), eq(customers.mspId, grants.mspId)))
      .innerJoin(members, and(eq(members.id, grants.memberId), eq(members.mspId, grants.mspId)))
      .where(waitingFor(ctx, me.memberId))
      .orderBy(asc(grants.createdAt))
      .limit(200),
  );
}

/** How many wait for the member: the navigation's badge. */
export async function countMyApprovals(ctx: ServiceContext): Promise<number> {
  const me = requireMember(ctx);
  if (!hasPermission(ctx, "approvals:decide")) return 0;
  const [row] = await withMspTx(ctx.mspId, (tx) => tx.select({ n: sql<number>`count(*)::int` }).from(grants).where(waitingFor(ctx, me.memberId)));
  return row?.n ?? 0;
}
