import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { members, type Invite, type Member } from "@/db/schema";
import { canManageRole } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";

const stale = (message: string) => new AppError("gone", `${message} Ask your admin for a new link.`);

/**
 * A link is checked against the MSP as it is now, not only against the invite row: whatever changed
 * since it was made (and whoever forgot to revoke it), it grants nothing its maker could not grant today.
 *   - whoever made the link must still be an active member allowed to manage that role;
 *   - recovery: the member must still be active (a link never re-enables a disabled member: that is
 *     enableMember's job, behind a step-up) and still hold the role the link was made for;
 *   - joining: nobody may hold the email yet.
 * Returns the member being recovered, locked for the rest of the transaction, or null for a new member.
 */
export async function recheckInvite(tx: Tx, invite: Invite): Promise<Member | null> {
  const inMsp = (id: string) => and(eq(members.id, id), eq(members.mspId, invite.mspId));
  const [maker] = await tx.select().from(members).where(inMsp(invite.createdBy));
  if (!maker || maker.status !== "active" || !canManageRole(maker.role, invite.role)) {
    throw stale("Whoever made this link can no longer give this role.");
  }
  if (invite.memberId) {
    const [member] = await tx.select().from(members).where(inMsp(invite.memberId)).for("update");
    if (!member) throw stale("This account no longer exists.");
    if (member.status !== "active") throw stale("This account is disabled, and a recovery link does not enable it.");
    if (member.role !== invite.role) throw stale("Your role has changed since this link was made.");
    return member;
  }
  const [taken] = await tx.select({ id: members.id }).from(members).where(and(eq(members.mspId, invite.mspId), eq(members.email, invite.email))).limit(1);
  if (taken) throw stale("A member with this email already exists.");
  return null;
}
