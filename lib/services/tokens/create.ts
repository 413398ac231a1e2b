import { and, count, eq, gt, inArray, isNull } from "drizzle-orm";
import { apiTokens, customers, msps } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { AppError, conflict, forbidden } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { recordAudit } from "@/lib/services/audit/record";
import { requireFreshStepUp, requireMember, type ServiceContext } from "@/lib/services/context";
import { visibleCustomers } from "@/lib/services/delegations/visibility";
import { tokenDigest } from "@/lib/tokens/digest";
import { generateToken, tokenHint, type TokenType } from "@/lib/tokens/format";
import { createTokenInput } from "./schemas";

/** Enough for every script and integration a person runs; a runaway loop hits a wall instead of the table. */
export const MAX_LIVE_TOKENS_PER_MEMBER = 50;

/**
 * A member creates an access token for themselves (needs a fresh passkey step-up). The token is returned
 * once, here; only its keyed digest and a hint are stored. Scopes are not limited to today's role: the
 * effective rights are intersected with the owner's role at every use.
 */
export async function createToken(ctx: ServiceContext, input: unknown, options: { type?: TokenType } = {}) {
  if (ctx.actor.type === "token") throw forbidden("An access token cannot create tokens.");
  const me = requireMember(ctx);
  requireFreshStepUp(ctx);
  const data = createTokenInput.parse(input);
  const type = options.type ?? "personal";
  return withMspTx(ctx.mspId, async (tx) => {
    const [msp] = await tx.select({ maxDays: msps.tokenMaxDays }).from(msps).where(eq(msps.id, ctx.mspId));
    const maxDays = msp?.maxDays ?? 90;
    if (data.expiresInDays > maxDays) {
      throw new AppError("validation_failed", `Tokens of this MSP expire within ${maxDays} days at most.`, { field: "expiresInDays" });
    }
    if (data.customerIds) {
      const seen = await tx
        .select({ id: customers.id })
        .from(customers)
        .where(and(inArray(customers.id, data.customerIds), visibleCustomers(tx, ctx)));
      if (seen.length !== data.customerIds.length) {
        throw new AppError("validation_failed", "A token can be limited only to customers you can see.", { field: "customerIds" });
      }
    }
    const now = new Date();
    const [live] = await tx
      .select({ n: count() })
      .from(apiTokens)
      .where(and(eq(apiTokens.mspId, ctx.mspId), eq(apiTokens.memberId, me.memberId), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, now)));
    if ((live?.n ?? 0) >= MAX_LIVE_TOKENS_PER_MEMBER) {
      throw conflict(`You already have ${MAX_LIVE_TOKENS_PER_MEMBER} live tokens. Revoke some first.`);
    }

    const token = generateToken(type);
    const row = {
      id: newId("apiToken"),
      mspId: ctx.mspId,
      memberId: me.memberId,
      type,
      name: data.name,
      tokenDigest: tokenDigest(token),
      hint: tokenHint(token),
      scopes: data.scopes,
      customerIds: data.customerIds,
      allowedCidrs: data.allowedCidrs,
      expiresAt: new Date(now.getTime() + data.expiresInDays * 86_400_000),
      createdIp: ctx.request.ip,
    };
    await tx.insert(apiTokens).values(row);
    await recordAudit(tx, ctx, {
      action: "token.created",
      target: { type: "token", id: row.id, label: row.name },
      metadata: {
        type,
        hint: row.hint,
        scopes: row.scopes,
        customers: row.customerIds,
        allowedCidrs: row.allowedCidrs,
        expiresAt: row.expiresAt.toISOString(),
      },
    });
    return {
      /** The token itself: shown once, never again. */
      token,
      id: row.id,
      name: row.name,
      type,
      hint: row.hint,
      scopes: row.scopes,
      customerIds: row.customerIds,
      allowedCidrs: row.allowedCidrs,
      expiresAt: row.expiresAt,
    };
  });
}
