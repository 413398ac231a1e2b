import { withMspTx } from "@/db/tx";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { spendStepUp } from "@/lib/services/auth/spend-step-up";
import { requireFreshStepUp, requireMember, type ServiceContext } from "@/lib/services/context";
import { unsealCredential, type JitCredential } from "./credential";
import { getGrantInMsp } from "./grant-row";
import { requireRevealable } from "./revealable";

/**
 * The grant's owner reads the JIT account's credential. Each reveal needs its own passkey step-up (the
 * step-up is used up here), and the audit event is written in the same transaction before the secret
 * leaves: if the audit cannot be written, nothing is revealed.
 */
export async function revealCredential(ctx: ServiceContext, grantId: string): Promise<JitCredential & { endsAt: Date | null }> {
  const me = requireMember(ctx);
  requireFreshStepUp(ctx);
  return withMspTx(ctx.mspId, async (tx) => {
    const grant = await getGrantInMsp(tx, ctx.mspId, grantId);
    if (grant.memberId !== me.memberId) throw new AppError("not_found", "Grant not found.");
    requireRevealable(grant);
    await spendStepUp(tx, ctx);
    await recordAudit(tx, ctx, { action: "grant.credential_revealed", target: { type: "grant", id: grant.id, label: grant.upn } });
    return { ...unsealCredential(grant), endsAt: grant.endsAt };
  });
}
