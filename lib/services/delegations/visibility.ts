import { and, eq, exists, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { customers, delegations, teamMembers } from "@/db/schema";
import { can } from "@/lib/auth/permissions";
import type { ServiceContext } from "@/lib/services/context";

/** Delegations that apply to a member: made to them, or to a team they belong to. */
export function delegationsOfMember(tx: Tx, mspId: string, memberId: string): SQL {
  const myTeams = tx
    .select({ id: teamMembers.teamId })
    .from(teamMembers)
    .where(and(eq(teamMembers.mspId, mspId), eq(teamMembers.memberId, memberId)));
  return and(eq(delegations.mspId, mspId), or(eq(delegations.memberId, memberId), inArray(delegations.teamId, myTeams)))!;
}

/** A token restricted to some customers sees at most those (never more than its owner, see below). */
function tokenRestriction(ctx: ServiceContext): SQL | undefined {
  if (ctx.actor.type !== "token" || ctx.actor.customerIds === null) return undefined;
  return ctx.actor.customerIds.length > 0 ? inArray(customers.id, [...ctx.actor.customerIds]) : sql`false`;
}

/**
 * The condition that limits `customers` to what the actor may see: everything for roles with
 * customers:read_all, otherwise only customers with a delegation to the member (directly, via a team,
 * or an all-customers delegation). Every customer read goes through it.
 * An access token sees what its owner sees today (by the owner's current role and delegations, not by
 * the token's scopes, which gate entry points), narrowed to the token's customers when it has a list.
 */
export function visibleCustomers(tx: Tx, ctx: ServiceContext): SQL {
  const inMsp = and(eq(customers.mspId, ctx.mspId), tokenRestriction(ctx))!;
  const actor = ctx.actor;
  if (actor.type === "system") return inMsp;
  if (actor.type !== "member" && actor.type !== "token") return and(inMsp, eq(customers.id, "-"))!;
  if (can(actor.role, "customers:read_all")) return inMsp;
  const delegated = tx
    .select({ id: delegations.id })
    .from(delegations)
    .where(and(delegationsOfMember(tx, ctx.mspId, actor.memberId), or(eq(delegations.customerId, customers.id), isNull(delegations.customerId))));
  return and(inMsp, eq(customers.status, "active"), exists(delegated))!;
}
