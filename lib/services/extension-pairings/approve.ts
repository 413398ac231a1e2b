import { withSystemTx } from "@/db/tx";
import { requireFreshStepUp, type ServiceContext } from "@/lib/services/context";
import { assertTokenRoom } from "@/lib/services/tokens/insert";
import { answerPairing, requireSessionMember } from "./internal";

/**
 * The member approves the extension that shows this code (needs a fresh passkey step-up, as creating a
 * token does). No token exists yet: the extension's next poll creates it, so its plaintext is never stored.
 */
export async function approvePairing(ctx: ServiceContext, pairingId: string) {
  const me = requireSessionMember(ctx);
  requireFreshStepUp(ctx);
  return withSystemTx(async (tx) => {
    // Refused here, where the member can act on it, rather than at the extension's poll.
    await assertTokenRoom(tx, ctx.mspId, me.memberId);
    const row = await answerPairing(tx, ctx, me, pairingId, "approved");
    return { status: row.status, deviceLabel: row.deviceLabel };
  });
}
