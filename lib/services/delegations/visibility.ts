import { and, eq, exists, inArray, isNull, or, type SQL } from "drizzle-orm";
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

/**
 * The condition that limits `customers` to what the actor may see: everything for roles with
 * customers:read_all, otherwise only customers with a delegation to the member (directly, via a team,
 * or an all-customers delegation). Every customer read goes through it.
 */
export function visibleCustomers(tx: Tx, ctx: ServiceContext): SQL {
  const inMsp = eq(customers.mspId, ctx.mspId);
  if (ctx.actor.type === "system") return inMsp;
  if (ctx.actor.type === "member" && can(ctx.actor.role, "customers:read_all")) return inMsp;
  if (ctx.actor.type !== "member") return and(inMsp, eq(customers.id, "-"))!;
  const delegated = tx
    .select({ id: delegations.id })
    .from(delegations)
    .where(and(delegationsOfMember(tx, ctx.mspId, ctx.actor.memberId), or(eq(delegations.customerId, customers.id), isNull(delegations.customerId))));
  return and(inMsp, eq(customers.status, "active"), exists(delegated))!;
}
