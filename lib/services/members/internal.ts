import { and, count, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { members, type Member } from "@/db/schema";
import { canManageRole } from "@/lib/auth/permissions";
import { forbidden, notFound } from "@/lib/errors";
import type { Actor } from "@/lib/services/context";

/** Loads a member of the acting MSP that the actor may manage (never themselves). */
export async function getManageableMember(tx: Tx, mspId: string, actor: Extract<Actor, { type: "member" }>, memberId: string): Promise<Member> {
  const [member] = await tx
    .select()
    .from(members)
    .where(and(eq(members.id, memberId), eq(members.mspId, mspId)))
    .limit(1);
  if (!member) throw notFound("Member");
  if (member.id === actor.memberId) throw forbidden("You cannot change your own role or status.");
  if (!canManageRole(actor.role, member.role)) throw forbidden("You cannot manage this member.");
  return member;
}

/** An MSP always keeps at least one active owner. */
export async function activeOwnerCount(tx: Tx, mspId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(members)
    .where(and(eq(members.mspId, mspId), eq(members.role, "owner"), eq(members.status, "active")));
  return row?.n ?? 0;
}

/**
 * Serialises role and status changes within one MSP, so two owners demoting or disabling each other
 * at the same moment cannot both pass the "an active owner remains" check.
 */
export async function lockMemberChanges(tx: Tx, mspId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`members:${mspId}`}, 0))`);
}
