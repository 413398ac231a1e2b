import { systemTxBypassingRls } from "@/db/tx";
import { spendStepUp } from "@/lib/services/auth/spend-step-up";
import { requireFreshStepUp, type ServiceContext } from "@/lib/services/context";
import { assertTokenRoom } from "@/lib/services/tokens/insert";
import { answerPairing, requireSessionMember } from "./internal";

/**
 * The member approves the extension that shows this code. Like creating a token, it needs a passkey
 * step-up made for it after sign-in, and uses it up. No token exists yet: the extension's next poll
 * creates it, so its plaintext is never stored.
 */
export async function approvePairing(ctx: ServiceContext, pairingId: string) {
  const me = requireSessionMember(ctx);
  requireFreshStepUp(ctx);
  // The pairing belongs to no MSP until this answer binds it to the member's.
  return systemTxBypassingRls(async (tx) => {
    // Refused here, where the member can act on it, rather than at the extension's poll.
    await assertTokenRoom(tx, ctx.mspId, me.memberId);
    const row = await answerPairing(tx, ctx, me, pairingId, "approved");
    // Last, so a pairing that is gone says so before asking for a passkey; refused, the answer rolls back.
    await spendStepUp(tx, ctx);
    return { status: row.status, deviceLabel: row.deviceLabel };
  });
}
