import { and, asc, count, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { containsPattern } from "@/db/contains";
import { customerAccessLevels, customers, delegations, entraConnections } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import type { ServiceContext } from "@/lib/services/context";
import { visibleCustomers } from "@/lib/services/delegations/visibility";

export const customerFilterInput = z.object({
  includeArchived: z.boolean().default(false),
  /** Text in the customer's name, its JIT accounts' UPN domain, or its tenant's name or id. */
  q: z.string().trim().min(1).max(200).optional(),
});

function textMatch(text: string): SQL {
  const pattern = containsPattern(text);
  return or(ilike(customers.name, pattern), ilike(customers.upnDomain, pattern), ilike(entraConnections.tenantName, pattern), ilike(entraConnections.tenantId, pattern))!;
}

/** The customers the actor may see, with connection health and how many access levels and delegations each has. */
export async function listCustomers(ctx: ServiceContext, input: unknown = {}) {
  const f = customerFilterInput.parse(input);
  return withMspTx(ctx.mspId, async (tx) => {
    const levelCounts = tx
      .select({ customerId: customerAccessLevels.customerId, n: count().as("levels") })
      .from(customerAccessLevels)
      .where(eq(customerAccessLevels.mspId, ctx.mspId))
      .groupBy(customerAccessLevels.customerId)
      .as("level_counts");
    const delegationCounts = tx
      .select({ customerId: delegations.customerId, n: count().as("delegations") })
      .from(delegations)
      .where(eq(delegations.mspId, ctx.mspId))
      .groupBy(delegations.customerId)
      .as("delegation_counts");
    return tx
      .select({
        id: customers.id,
        name: customers.name,
        status: customers.status,
        isSandbox: customers.isSandbox,
        createdAt: customers.createdAt,
        connection: {
          status: entraConnections.status,
          tenantId: entraConnections.tenantId,
          tenantName: entraConnections.tenantName,
          healthOk: entraConnections.healthOk,
          healthDetail: entraConnections.healthDetail,
          healthCheckedAt: entraConnections.healthCheckedAt,
          disconnectRequestedAt: entraConnections.disconnectRequestedAt,
        },
        accessLevelCount: sql<number>`coalesce(${levelCounts.n}, 0)::int`,
        delegationCount: sql<number>`coalesce(${delegationCounts.n}, 0)::int`,
      })
      .from(customers)
      .leftJoin(entraConnections, and(eq(entraConnections.customerId, customers.id), eq(entraConnections.mspId, customers.mspId)))
      .leftJoin(levelCounts, eq(levelCounts.customerId, customers.id))
      .leftJoin(delegationCounts, eq(delegationCounts.customerId, customers.id))
      .where(and(visibleCustomers(tx, ctx), f.includeArchived ? undefined : eq(customers.status, "active"), f.q ? textMatch(f.q) : undefined))
      .orderBy(asc(sql`lower(${customers.name})`));
  });
}
