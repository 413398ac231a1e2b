import { and, eq, isNull, or } from "drizzle-orm";
import { apiTokens, invites, members } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { conflict } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { requireFreshStepUp, requireMember, requirePermission, type ServiceContext } from "@/lib/services/context";
import { endUnentitledGrants, startExpiries } from "@/lib/services/grants/end-unentitled";
import { endAllSessionsOf } from "@/lib/services/sessions/end";
import { activeOwnerCount, getManageableMember, lockMemberChanges } from "./internal";

/**
 * Disables a member in one transaction (needs a fresh step-up): ends all their sessions, revokes their
 * tokens and their unused invite and recovery links, and ends their grants (the access itself is taken
 * away by the expiry jobs queued once it has committed).
 */
export async function disableMember(ctx: ServiceContext, memberId: string) {
  requirePermission(ctx, "members:manage");
  const me = requireMember(ctx);
  requireFreshStepUp(ctx);
  const unentitled = await withMspTx(ctx.mspId, async (tx) => {
    await lockMemberChanges(tx, ctx.mspId);
    const member = await getManageableMember(tx, ctx.mspId, me, memberId);
    if (member.status === "disabled") return null;
    await tx
      .update(members)
      .set({ status: "disabled", disabledAt: new Date(), updatedAt: new Date() })
      .where(and(eq(members.id, member.id), eq(members.mspId, ctx.mspId)));
    if (member.role === "owner" && (await activeOwnerCount(tx, ctx.mspId)) === 0) {
      throw conflict("The MSP needs at least one active owner.");
    }
    const ended = await endAllSessionsOf(tx, ctx.mspId, member.id, "member_disabled");
    // Tokens die with their owner for good: re-enabling the member does not bring them back.
    const revoked = await tx
      .update(apiTokens)
      .set({ revokedAt: new Date(), revokedBy: ctx.actor.type === "member" ? ctx.actor.memberId : null, revokeReason: "owner_disabled" })
      .where(and(eq(apiTokens.mspId, ctx.mspId), eq(apiTokens.memberId, member.id), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id });
    // A recovery link would re-enable the member and give them a new passkey: it dies with the access.
    const links = await tx
      .update(invites)
      .set({ revokedAt: new Date() })
      .where(and(eq(invites.mspId, ctx.mspId), or(eq(invites.memberId, member.id), eq(invites.email, member.email)), isNull(invites.usedAt), isNull(invites.revokedAt)))
      .returning({ id: invites.id });
    const grants = await endUnentitledGrants(tx, ctx, "member_disabled", { memberIds: [member.id] });
    await recordAudit(tx, ctx, {
      action: "member.disabled",
      target: { type: "member", id: member.id, label: member.email },
      metadata: { sessionsEnded: ended, tokensRevoked: revoked.length, invitesRevoked: links.length, grantsEnded: grants.ended },
    });
    return grants;
  });
  if (unentitled) await startExpiries(unentitled);
}
