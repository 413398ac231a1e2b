import { withMspTx } from "@/db/tx";
import type { ServiceContext } from "@/lib/services/context";
import { transitionGrant } from "@/lib/services/grants/transition";
import { closeApprovalStep, grantForApprover, requirePending } from "./internal";
import { denyGrantInput } from "./schemas";

/** An approver says no, with a reason the requester sees. One no is enough, whatever the count of approvals. */
export async function denyGrant(ctx: ServiceContext, grantId: string, input: unknown) {
  const { reason } = denyGrantInput.parse(input);
  return withMspTx(ctx.mspId, async (tx) => {
    const { grant } = await grantForApprover(tx, ctx, grantId);
    requirePending(grant);
    await closeApprovalStep(tx, grant, "failed", `Denied: ${reason}`);
    return transitionGrant(tx, ctx, grant, "denied", { denialReason: reason, decidedAt: new Date() }, { reason, metadata: { requesterId: grant.memberId, reason } });
  });
}
