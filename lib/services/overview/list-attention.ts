import { and, desc, eq, gt, isNull, or } from "drizzle-orm";
import { customers, entraConnections, grants, members, orphanAccounts } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { requirePermission, type ServiceContext } from "@/lib/services/context";

/** A failed grant stays on the list this long: someone should have looked by then. */
export const RECENT_FAILURE_DAYS = 7;

/**
 * What an owner or admin should look at first: grants whose access could not be proven gone (irrevocable)
 * and recently failed ones, connections whose health check fails, and orphaned Stint accounts that are
 * still enabled or were found lately. Each item names where to act.
 */
export async function listAttention(ctx: ServiceContext, options: { now?: Date } = {}) {
  requirePermission(ctx, "grants:read_all");
  const since = new Date((options.now ?? new Date()).getTime() - RECENT_FAILURE_DAYS * 86_400_000);
  return withMspTx(ctx.mspId, async (tx) => {
    const troubledGrants = await tx
      .select({
        id: grants.id,
        state: grants.state,
        customerName: customers.name,
        memberName: members.displayName,
        failureReason: grants.failureReason,
        updatedAt: grants.updatedAt,
      })
      .from(grants)
      .innerJoin(customers, and(eq(customers.id, grants.customerId), eq(customers.mspId, grants.mspId)))
      .innerJoin(members, and(eq(members.id, grants.memberId), eq(members.mspId, grants.mspId)))
      .where(and(eq(grants.mspId, ctx.mspId), or(eq(grants.state, "irrevocable"), and(eq(grants.state, "failed"), gt(grants.updatedAt, since)))))
      .orderBy(desc(eq(grants.state, "irrevocable")), desc(grants.updatedAt))
      .limit(50);
    const unhealthyConnections = await tx
      .select({ customerId: customers.id, customerName: customers.name, healthDetail: entraConnections.healthDetail, unhealthySince: entraConnections.unhealthySince })
      .from(entraConnections)
      .innerJoin(customers, and(eq(customers.id, entraConnections.customerId), eq(customers.mspId, entraConnections.mspId)))
      .where(and(eq(entraConnections.mspId, ctx.mspId), eq(entraConnections.status, "connected"), eq(entraConnections.healthOk, false), eq(customers.status, "active")))
      .orderBy(customers.name);
    const orphans = await tx
      .select({ id: orphanAccounts.id, customerName: customers.name, userPrincipalName: orphanAccounts.userPrincipalName, foundAt: orphanAccounts.foundAt, disabledAt: orphanAccounts.disabledAt })
      .from(orphanAccounts)
      .innerJoin(customers, and(eq(customers.id, orphanAccounts.customerId), eq(customers.mspId, orphanAccounts.mspId)))
      .where(and(eq(orphanAccounts.mspId, ctx.mspId), or(isNull(orphanAccounts.disabledAt), gt(orphanAccounts.foundAt, since))))
      .orderBy(desc(orphanAccounts.foundAt))
      .limit(50);
    return { troubledGrants, unhealthyConnections, orphans };
  });
}
