import { and, eq } from "drizzle-orm";
import { apiTokens } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { forbidden } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { requireScope, type ServiceContext } from "@/lib/services/context";
import { unsealCredential, type JitCredential } from "./credential";
import { tokenOwnersCredentialGrant } from "./revealable";

/**
 * The REST API's credential read (POST /api/v1/grants/{id}/credential with a token).
 *
 * Why a separate path instead of relaxing revealCredential: a token cannot carry a passkey assertion,
 * so revealCredential (the console's path) refuses every token in requireFreshStepUp and keeps doing
 * so; a signed-in session still needs a fresh step-up per reveal. This service is the *only* way a
 * token reaches a JIT secret, and it is narrower than the console in every other respect:
 *   - the actor must be a token (a session or job never gets here — no step-up bypass for cookies);
 *   - the token must carry `credentials:read`, a scope its owner chose explicitly when they created the
 *     token behind a passkey step-up (createToken requires one), so the passkey was used once, up front;
 *   - not the browser extension's token: the extension reads a credential only through a one-time launch
 *     ticket, at the moment it fills Microsoft's page, so a stolen extension token cannot pull secrets;
 *   - only the grant's owner: an admin's token does not read other members' credentials, even though
 *     the admin may see their grants;
 *   - the token's customer restriction applies (another customer's grant is "not found");
 *   - the grant must be active with its secret (pass or password) sealed;
 *   - the audit event (`grant.credential_revealed`, metadata.viaToken = token id) is written in the same
 *     transaction before the secret leaves; if it cannot be written, nothing is revealed.
 */
export async function revealCredentialByToken(ctx: ServiceContext, grantId: string): Promise<JitCredential & { endsAt: Date | null }> {
  const actor = ctx.actor;
  if (actor.type !== "token") throw forbidden("Only an access token uses this path; in the console, confirm with your passkey.");
  requireScope(ctx, "credentials:read");
  return withMspTx(ctx.mspId, async (tx) => {
    const [token] = await tx.select({ type: apiTokens.type }).from(apiTokens).where(and(eq(apiTokens.id, actor.tokenId), eq(apiTokens.mspId, ctx.mspId)));
    if (token?.type !== "personal") throw forbidden("The browser extension's token reads credentials only through launch tickets.");
    const grant = await tokenOwnersCredentialGrant(tx, ctx.mspId, actor, grantId);
    await recordAudit(tx, ctx, {
      action: "grant.credential_revealed",
      target: { type: "grant", id: grant.id, label: grant.upn },
      // recordAudit adds metadata.viaToken (the token id) for every token actor.
      metadata: { path: "api_token" },
    });
    return { ...unsealCredential(grant), endsAt: grant.endsAt };
  });
}
