import { and, eq } from "drizzle-orm";
import { apiTokens } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { hasPermission, requireMember, requirePermission, requireScope, type ServiceContext } from "@/lib/services/context";

/**
 * Revokes a token for good. Members revoke their own; owners and admins (tokens:manage_all) any of the
 * MSP's. Someone else's token is "not found" to a member, so its existence is not confirmed.
 * Revoking an already revoked token changes nothing.
 */
export async function revokeToken(ctx: ServiceContext, tokenId: string): Promise<void> {
  const me = requireMember(ctx);
  requireScope(ctx, "tokens:manage");
  await withMspTx(ctx.mspId, async (tx) => {
    const [token] = await tx
      .select()
      .from(apiTokens)
      .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.mspId, ctx.mspId)))
      .for("update")
      .limit(1);
    if (!token) throw notFound("Token");
    const own = token.memberId === me.memberId;
    if (!own) {
      if (!hasPermission(ctx, "tokens:manage_all")) throw notFound("Token");
      requirePermission(ctx, "tokens:manage_all");
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
