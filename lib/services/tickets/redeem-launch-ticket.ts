import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { acceptedTickets } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { AppError, forbidden } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import type { ServiceContext } from "@/lib/services/context";
import { unsealCredential, type JitCredential } from "@/lib/services/grants/credential";
import { tokenOwnersCredentialGrant } from "@/lib/services/grants/revealable";
import { verifyLaunchTicket, type LaunchTicketClaims, type LaunchTicketRefusal } from "@/lib/tickets/launch-ticket";
import { requireTicketActor, requireTicketToken } from "./issue-launch-ticket";

const ACTION = "grant.launch_ticket_redeemed";
const ALREADY_USED = "This ticket was already used.";

/**
 * Marks the ticket used: ONE `insert … on conflict do nothing returning` of its jti. The primary key
 * serialises concurrent redemptions on every instance (the second waits for the first transaction, then
 * conflicts); no row back means the ticket was used before. Exported for the two-pool test.
 */
export async function acceptTicket(tx: Tx, claims: LaunchTicketClaims): Promise<boolean> {
  const rows = await tx
    .insert(acceptedTickets)
    .values({
      jti: claims.jti,
      mspId: claims.mspId,
      grantId: claims.grantId,
      memberId: claims.memberId,
      tokenId: claims.tokenId,
      acceptedAt: sql`now()`,
      expiresAt: new Date(claims.exp * 1000),
    })
    .onConflictDoNothing({ target: acceptedTickets.jti })
    .returning({ jti: acceptedTickets.jti });
  return rows.length === 1;
}

const refusalErrors: Record<LaunchTicketRefusal, AppError> = {
  malformed: forbidden("This launch ticket is not valid."),
  bad_signature: forbidden("This launch ticket is not valid."),
  wrong_type: forbidden("This launch ticket is not valid."),
  expired: new AppError("gone", "This launch ticket has expired. Ask for a new one."),
};

async function auditRefusal(ctx: ServiceContext, reason: string, grantId: string | null, metadata: Record<string, unknown> = {}) {
  await withMspTx(ctx.mspId, (tx) =>
    recordAudit(tx, ctx, { action: ACTION, result: "failure", reason, ...(grantId ? { target: { type: "grant", id: grantId } } : {}), metadata }),
  );
}

/**
 * The content script's redemption of a launch ticket, with the extension token the ticket is bound to.
 * Order: signature, type and lifetime (lib/tickets/launch-ticket.ts), then the binding to this token,
 * then — in one transaction — the atomic accept of the jti, the re-check that the grant is still the
 * token owner's and active, the audit event, and only then the credential (the current pass, or the
 * password of a password grant).
 *
 * Once accepted, a ticket stays spent: a refusal after the accept (a replay, or a grant that ended since
 * the issue) is audited and the transaction *commits* before the error is thrown, so a ticket is never
 * un-consumed. Refusals before the accept (bad signature, expired, another token) leave nothing to consume.
 */
export async function redeemLaunchTicket(
  ctx: ServiceContext,
  ticket: unknown,
  options: { now?: Date } = {},
): Promise<JitCredential & { tenantId: string }> {
  const actor = requireTicketActor(ctx);
  const verified = verifyLaunchTicket(ticket, options);
  if (!verified.ok) {
    await auditRefusal(ctx, verified.reason, null);
    throw refusalErrors[verified.reason];
  }
  const claims = verified.claims;
  if (claims.mspId !== ctx.mspId || claims.tokenId !== actor.tokenId || claims.memberId !== actor.memberId) {
    await auditRefusal(ctx, "wrong_token", claims.mspId === ctx.mspId ? claims.grantId : null, { jti: claims.jti });
    throw forbidden("This ticket was issued to another token.");
  }

  const outcome = await withMspTx(ctx.mspId, async (tx) => {
    await requireTicketToken(tx, ctx.mspId, actor, options.now);
    const target = { type: "grant", id: claims.grantId };
    if (!(await acceptTicket(tx, claims))) {
      await recordAudit(tx, ctx, { action: ACTION, result: "failure", reason: "replay", target, metadata: { jti: claims.jti } });
      return { refused: new AppError("gone", ALREADY_USED) };
    }
    let grant: Awaited<ReturnType<typeof tokenOwnersCredentialGrant>>;
    try {
      grant = await tokenOwnersCredentialGrant(tx, ctx.mspId, actor, claims.grantId);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await recordAudit(tx, ctx, { action: ACTION, result: "failure", reason: "grant_unavailable", target, metadata: { jti: claims.jti } });
      return { refused: error };
    }
    await recordAudit(tx, ctx, {
      action: ACTION,
      target: { type: "grant", id: grant.id, label: grant.upn },
      // recordAudit adds metadata.viaToken (the token id) for every token actor.
      metadata: { jti: claims.jti, path: "launch_ticket" },
    });
    return { credential: { ...unsealCredential(grant), tenantId: grant.entraTenantId } };
  });
  if ("refused" in outcome) throw outcome.refused;
  return outcome.credential;
}
