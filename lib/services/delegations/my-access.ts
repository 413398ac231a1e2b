import { and, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { accessLevels, customerAccessLevels, delegationAccessLevels, delegations } from "@/db/schema";
import type { Tx } from "@/db/client";
import { withMspTx } from "@/db/tx";
import { requireMember, type ServiceContext } from "@/lib/services/context";
import { getVisibleCustomer } from "@/lib/services/customers/internal";
import { delegationsOfMember } from "./visibility";

/**
 * What the signed-in member may request on one customer: the access levels delegated to them (directly
 * or via a team, for this customer or all customers) that are enabled on the customer, each with the
 * longest duration any applicable delegation allows, capped by the customer's maximum.
 */
export async function getMyAccessOnCustomer(ctx: ServiceContext, customerId: string) {
  return withMspTx(ctx.mspId, (tx) => getMyAccessOnCustomerInTx(tx, ctx, customerId));
}

/** The same, inside the caller's transaction (the grant policy reads it next to its other checks). */
export async function getMyAccessOnCustomerInTx(tx: Tx, ctx: ServiceContext, customerId: string) {
  const me = requireMember(ctx);
  const customer = await getVisibleCustomer(tx, ctx, customerId);
  const rows = await delegatedLevelsOn(tx, ctx.mspId, me.memberId, customer.id);
  return {
    customer,
    accessLevels: rows.map((r) => ({ ...r, maxDurationMinutes: Math.min(r.maxDurationMinutes, customer.maxDurationMinutes) })),
  };
}

/**
 * The rule itself, for any member: the live access levels delegated to them on the customer (directly
 * or via a team, for this customer or all customers) and enabled there, each with the longest duration
 * any of those delegations allows (not yet capped by the customer). Requests and the grants they became
 * are both held to it (lib/services/grants/entitlement.ts).
 */
export async function delegatedLevelsOn(tx: Tx, mspId: string, memberId: string, customerId: string) {
  const enabled = tx
    .select({ id: customerAccessLevels.accessLevelId })
    .from(customerAccessLevels)
    .where(and(eq(customerAccessLevels.mspId, mspId), eq(customerAccessLevels.customerId, customerId)));
  return tx
    .select({
      accessLevelId: accessLevels.id,
      name: accessLevels.name,
      roleTemplateIds: accessLevels.roleTemplateIds,
      privileged: accessLevels.privileged,
      maxDurationMinutes: sql<number>`max(${delegations.maxDurationMinutes})::int`,
    })
    .from(delegations)
    .innerJoin(delegationAccessLevels, and(eq(delegationAccessLevels.delegationId, delegations.id), eq(delegationAccessLevels.mspId, delegations.mspId)))
    .innerJoin(accessLevels, and(eq(accessLevels.id, delegationAccessLevels.accessLevelId), eq(accessLevels.mspId, delegations.mspId), isNull(accessLevels.archivedAt)))
    .where(and(delegationsOfMember(tx, mspId, memberId), or(eq(delegations.customerId, customerId), isNull(delegations.customerId)), inArray(accessLevels.id, enabled)))
    .groupBy(accessLevels.id);
}
