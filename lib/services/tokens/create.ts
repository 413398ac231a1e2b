import { and, inArray } from "drizzle-orm";
import { customers } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { can } from "@/lib/auth/permissions";
import { AppError, forbidden } from "@/lib/errors";
import { spendStepUp } from "@/lib/services/auth/spend-step-up";
import { requireFreshStepUp, requireMember, type ServiceContext } from "@/lib/services/context";
import { visibleCustomers } from "@/lib/services/delegations/visibility";
import type { TokenType } from "@/lib/vocabulary/token-types";
import { insertToken, tokenMaxDays } from "./insert";
import { createTokenInput } from "./schemas";

/**
 * A member creates an access token for themselves. It needs a passkey step-up made for it after sign-in,
 * and uses it up: one token per assertion. The token is returned
 * once, here; only its keyed digest and a hint are stored. Scopes are not limited to today's role: the
 * effective rights are intersected with the owner's role at every use.
 */
export async function createToken(ctx: ServiceContext, input: unknown, options: { type?: TokenType } = {}) {
  if (ctx.actor.type === "token") throw forbidden("An access token cannot create tokens.");
  const me = requireMember(ctx);
  requireFreshStepUp(ctx);
  const data = createTokenInput.parse(input);
  if (data.scopes.includes("approvals:write") && !can(me.role, "approvals:decide")) {
    throw new AppError("validation_failed", "Only members who may approve can have a token that answers approvals.", { field: "scopes" });
  }
  return withMspTx(ctx.mspId, async (tx) => {
    const maxDays = await tokenMaxDays(tx, ctx.mspId);
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
    // After the checks, so refused input leaves the step-up for the corrected attempt.
    await spendStepUp(tx, ctx);
    return insertToken(tx, ctx, me.memberId, {
      type: options.type ?? "personal",
      name: data.name,
      scopes: data.scopes,
      customerIds: data.customerIds,
      allowedCidrs: data.allowedCidrs,
      expiresAt: new Date(Date.now() + data.expiresInDays * 86_400_000),
    });
  });
}
