import { withMspTx } from "@/db/tx";
import { AppError } from "@/lib/errors";
import { requireMember, type ServiceContext } from "@/lib/services/context";
import { getGrantInMsp } from "@/lib/services/grants/grant-row";
import { tokenMaySee } from "@/lib/services/grants/token-restriction";
import { transitionGrant } from "@/lib/services/grants/transition";
import { closeApprovalStep } from "./internal";

/** The requester withdraws a request still waiting for approval. */
export async function cancelGrantRequest(ctx: ServiceContext, grantId: string) {
  const me = requireMember(ctx);
  return withMspTx(ctx.mspId, async (tx) => {
    const grant = await getGrantInMsp(tx, ctx.mspId, grantId, { lock: true });
    if (grant.memberId !== me.memberId || !tokenMaySee(ctx, grant.customerId)) throw new AppError("not_found", "Grant not found.");
    if (grant.state !== "pending_approval") throw new AppError("conflict", `Only a request waiting for approval can be cancelled; this one is ${grant.state.replace("_", " ")}.`);
    await closeApprovalStep(tx, grant, "failed", "Cancelled by the requester");
    return transitionGrant(tx, ctx, grant, "cancelled", { decidedAt: new Date() }, { metadata: { requesterId: grant.memberId } });
  });
}
