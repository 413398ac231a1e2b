import { systemTxBypassingRls } from "@/db/tx";
import type { ServiceContext } from "@/lib/services/context";
import { answerPairing, requireSessionMember } from "./internal";

/** The member refuses a pairing (no step-up: saying no is never risky). The extension's next poll gets 403. */
export async function denyPairing(ctx: ServiceContext, pairingId: string) {
  const me = requireSessionMember(ctx);
  // The pairing belongs to no MSP until this answer binds it to the member's.
  return systemTxBypassingRls(async (tx) => {
    const row = await answerPairing(tx, ctx, me, pairingId, "denied");
    return { status: row.status, deviceLabel: row.deviceLabel };
  });
}
