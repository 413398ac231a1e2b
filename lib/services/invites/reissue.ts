import { and, eq, isNull } from "drizzle-orm";
import { invites, members } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { canManageRole } from "@/lib/auth/permissions";
import { forbidden, notFound } from "@/lib/errors";
import { digest, newId, newSecret } from "@/lib/ids";
import { recordAudit } from "@/lib/services/audit/record";
import { requireFreshStepUp, requireMember, requirePermission, type ServiceContext } from "@/lib/services/context";
import { INVITE_TTL_MS, inviteLink } from "./create";

/**
 * Recovery for a member who lost their passkeys: a new one-time link with which they enrol a new
 * passkey; accepting it removes their old passkeys and ends their sessions. Needs a fresh step-up,
 * because the link can take over the account.
 */
export async function reissueInvite(ctx: ServiceContext, memberId: string) {
  requirePermission(ctx, "members:manage");
  const me = requireMember(ctx);
  requireFreshStepUp(ctx);
  const token = newSecret();
  return withMspTx(ctx.mspId, async (tx) => {
    const [member] = await tx
      .select()
      .from(members)
      .where(and(eq(members.id, memberId), eq(members.mspId, ctx.mspId)))
      .limit(1);
    if (!member) throw notFound("Member");
    if (!canManageRole(me.role, member.role)) throw forbidden("You cannot recover this member.");
    await tx
      .update(invites)
      .set({ revokedAt: new Date() })
      .where(and(eq(invites.mspId, ctx.mspId), eq(invites.email, member.email), isNull(invites.usedAt), isNull(invites.revokedAt)));
    const [invite] = await tx
      .insert(invites)
      .values({
        id: newId("invite"),
        mspId: ctx.mspId,
        email: member.email,
        displayName: member.displayName,
        role: member.role,
        memberId: member.id,
        tokenDigest: digest(token),
        createdBy: me.memberId,
        expiresAt: new Date(Date.now() + INVITE_TTL_MS),
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: "member.recovery_invited",
      target: { type: "member", id: member.id, label: member.email },
    });
    return { invite: invite!, link: inviteLink(token) };
  });
}
