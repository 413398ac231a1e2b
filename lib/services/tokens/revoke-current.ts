import { and, eq, isNull } from "drizzle-orm";
import { apiTokens } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { forbidden } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import type { ServiceContext } from "@/lib/services/context";

/**
 * A token revokes itself: signing out, as the browser extension's Disconnect does. Needs no scope, since
 * giving up one's own access is always allowed; it is the owner's act, audited as such.
 */
export async function revokeCurrentToken(ctx: ServiceContext): Promise<void> {
  const actor = ctx.actor;
  if (actor.type !== "token") throw forbidden("Only an access token can revoke itself; sign out instead.");
  await withMspTx(ctx.mspId, async (tx) => {
    const [token] = await tx
      .update(apiTokens)
      .set({ revokedAt: new Date(), revokedBy: actor.memberId, revokeReason: "owner" })
      .where(and(eq(apiTokens.id, actor.tokenId), eq(apiTokens.mspId, ctx.mspId), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id, name: apiTokens.name, hint: apiTokens.hint });
    if (!token) return;
    await recordAudit(tx, ctx, {
      action: "token.revoked",
      target: { type: "token", id: token.id, label: token.name },
      metadata: { owner: actor.memberId, hint: token.hint, reason: "owner", self: true },
    });
  });
}
