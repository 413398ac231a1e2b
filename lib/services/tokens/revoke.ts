import { and, eq } from "drizzle-orm";
import { apiTokens, members } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { canManageRole } from "@/lib/auth/permissions";
import { forbidden, notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { hasPermission, requireMember, requirePermission, requireScope, type ServiceContext } from "@/lib/services/context";

/**
 * Revokes a token for good. Members revoke their own; owners and admins (tokens:manage_all) any of the
 * MSP's, except that admins cannot touch owners' tokens (as with every other action on owners). Someone
 * else's token is "not found" to a member, so its existence is not confirmed.
 * Revoking an already revoked token changes nothing.
 */
export async function revokeToken(ctx: ServiceContext, tokenId: string): Promise<void> {
  const me = requireMember(ctx);
  requireScope(ctx, "tokens:manage");
  await withMspTx(ctx.mspId, async (tx) => {
    const [found] = await tx
      .select({ token: apiTokens, ownerRole: members.role })
      .from(apiTokens)
      .innerJoin(members, and(eq(members.id, apiTokens.memberId), eq(members.mspId, apiTokens.mspId)))
      .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.mspId, ctx.mspId)))
      .for("update", { of: apiTokens })
      .limit(1);
    if (!found) throw notFound("Token");
    const { token, ownerRole } = found;
    const own = token.memberId === me.memberId;
    if (!own) {
      if (!hasPermission(ctx, "tokens:manage_all")) throw notFound("Token");
      requirePermission(ctx, "tokens:manage_all");
      if (!canManageRole(me.role, ownerRole)) throw forbidden("Only an owner can revoke an owner's token.");
    }
    if (token.revokedAt) return;
    const reason = own ? "owner" : "admin";
    await tx
      .update(apiTokens)
      .set({ revokedAt: new Date(), revokedBy: me.memberId, revokeReason: reason })
      .where(and(eq(apiTokens.id, token.id), eq(apiTokens.mspId, ctx.mspId)));
    await recordAudit(tx, ctx, {
      action: "token.revoked",
      target: { type: "token", id: token.id, label: token.name },
      metadata: { owner: token.memberId, hint: token.hint, reason },
    });
  });
}
