import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { apiTokens } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { env } from "@/lib/env";
import { forbidden } from "@/lib/errors";
import { fillSignInUrl } from "@/lib/extension/sign-in-url";
import { recordAudit } from "@/lib/services/audit/record";
import { requireScope, type ServiceContext, type TokenActor } from "@/lib/services/context";
import { tokenOwnersCredentialGrant } from "@/lib/services/grants/revealable";
import { issueLaunchTicket } from "@/lib/tickets/launch-ticket";
import type { TokenType } from "@/lib/vocabulary/token-types";

/** The token types that may ask for, and redeem, launch tickets. */
const TICKET_TOKEN_TYPES: readonly TokenType[] = ["extension", "personal"];

/** The acting token, re-read in this transaction: of a ticket type, not revoked, not expired. */
export async function requireTicketToken(tx: Tx, mspId: string, actor: TokenActor, now = new Date()): Promise<void> {
  const [token] = await tx
    .select({ type: apiTokens.type, revokedAt: apiTokens.revokedAt, expiresAt: apiTokens.expiresAt })
    .from(apiTokens)
    .where(and(eq(apiTokens.id, actor.tokenId), eq(apiTokens.mspId, mspId), eq(apiTokens.memberId, actor.memberId)))
    .limit(1);
  if (!token || token.revokedAt || token.expiresAt <= now || !TICKET_TOKEN_TYPES.includes(token.type)) {
    throw forbidden("This token cannot use launch tickets.");
  }
}

export function requireTicketActor(ctx: ServiceContext): TokenActor {
  const actor = ctx.actor;
  if (actor.type !== "token") throw forbidden("Launch tickets are for the browser extension's access token.");
  requireScope(ctx, "credentials:read");
  return actor;
}

/**
 * Issues a one-time launch ticket: the portal or popup asks for one just before the
 * content script fills a sign-in form. Same rules as the token credential read
 * (lib/services/grants/reveal-credential-by-token.ts): an extension or personal token with
 * `credentials:read`, the owner's own active grant within the token's customer limit. The ticket is bound
 * to (grant, member, token), lives ≤ 60 s and carries no secret; the issue is audited in the same transaction.
 * With it comes the page the extension opens for the sign-in (EXTENSION_SIGN_IN_URL for the grant's tenant).
 */
export async function issueLaunchTicketForGrant(ctx: ServiceContext, grantId: string): Promise<{ ticket: string; expiresAt: Date; signInUrl: string; tenantId: string }> {
  const actor = requireTicketActor(ctx);
  return withMspTx(ctx.mspId, async (tx) => {
    await requireTicketToken(tx, ctx.mspId, actor);
    const grant = await tokenOwnersCredentialGrant(tx, ctx.mspId, actor, grantId);
    const { ticket, claims, expiresAt } = issueLaunchTicket({ mspId: ctx.mspId, grantId: grant.id, memberId: actor.memberId, tokenId: actor.tokenId });
    await recordAudit(tx, ctx, {
      action: "grant.launch_ticket_issued",
      target: { type: "grant", id: grant.id, label: grant.upn },
      // The jti identifies the ticket without being it: the ticket's signature never leaves the response.
      metadata: { jti: claims.jti, expiresAt: expiresAt.toISOString() },
    });
    return { ticket, expiresAt, signInUrl: fillSignInUrl(env.EXTENSION_SIGN_IN_URL, { tenantId: grant.entraTenantId, upn: grant.upn }), tenantId: grant.entraTenantId };
  });
}
