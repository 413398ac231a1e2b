import { and, asc, eq, sql } from "drizzle-orm";
import { customers, entraConnections } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { requireMember, type ServiceContext } from "@/lib/services/context";
import { delegatedLevelsOn } from "./my-access";
import { visibleCustomers } from "./visibility";

/**
 * What the signed-in member may request today: each active, connected customer they see with the access
 * levels delegated to them there (by the same rule as a request), customers without any left out.
 */
export async function listMyRequestable(ctx: ServiceContext) {
  const me = requireMember(ctx);
  return withMspTx(ctx.mspId, async (tx) => {
    const connected = await tx
      .select({ id: customers.id, name: customers.name, isSandbox: customers.isSandbox, maxDurationMinutes: customers.maxDurationMinutes })
      .from(customers)
      .innerJoin(entraConnections, and(eq(entraConnections.customerId, customers.id), eq(entraConnections.mspId, customers.mspId), eq(entraConnections.status, "connected")))
      .where(and(visibleCustomers(tx, ctx), eq(customers.status, "active")))
      .orderBy(asc(sql`lower(${customers.name})`));
    const withLevels = [];
    for (const customer of connected) {
      const levels = await delegatedLevelsOn(tx, ctx.mspId, me.memberId, customer.id);
      if (levels.length > 0) {
        withLevels.push({ ...customer, accessLevels: levels.map((l) => ({ id: l.accessLevelId, name: l.name, maxDurationMinutes: Math.min(l.maxDurationMinutes, customer.maxDurationMinutes) })) });
      }
    }
    return withLevels;
  });
}
