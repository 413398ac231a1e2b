import { and, eq, isNull } from "drizzle-orm";
import { apiTokens, members } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { conflict } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { requireFreshStepUp, requireMember, requirePermission, type ServiceContext } from "@/lib/services/context";
import { endAllSessionsOf } from "@/lib/services/sessions/end";
import { activeOwnerCount, getManageableMember, lockMemberChanges } from "./internal";

/** Disables a member, ends all their sessions and revokes their tokens in one transaction (needs a fresh step-up). */
export async function disableMember(ctx: ServiceContext, memberId: string) {
  requirePermission(ctx, "members:manage");
  const me = requireMember(ctx);
  requireFreshStepUp(ctx);
  await withMspTx(ctx.mspId, async (tx) => {
    await lockMemberChanges(tx, ctx.mspId);
    const member = await getManageableMember(tx, ctx.mspId, me, memberId);
    if (member.status === "disabled") return;
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
    await recordAudit(tx, ctx, {
      action: "member.disabled",
      target: { type: "member", id: member.id, label: member.email },
      metadata: { sessionsEnded: ended, tokensRevoked: revoked.length },
    });
  });
}
