import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { grantSteps, type Grant } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { requireMember, requirePermission, type ServiceContext } from "@/lib/services/context";
import { getGrantInMsp } from "@/lib/services/grants/grant-row";
import { tokenMaySee } from "@/lib/services/grants/token-restriction";

/**
 * The grant an approver acts on, locked: only members the policy named when it was requested may decide,
 * and never its requester, whatever their role. Others do not learn it exists.
 */
export async function grantForApprover(tx: Tx, ctx: ServiceContext, grantId: string): Promise<{ grant: Grant; approverId: string }> {
  requirePermission(ctx, "approvals:decide");
  const me = requireMember(ctx);
  const grant = await getGrantInMsp(tx, ctx.mspId, grantId, { lock: true });
  if (!tokenMaySee(ctx, grant.customerId) || !grant.approverIds.includes(me.memberId)) throw new AppError("not_found", "Grant not found.");
  if (grant.memberId === me.memberId) throw new AppError("forbidden", "Nobody may approve their own request.");
  return { grant, approverId: me.memberId };
}

export function requirePending(grant: Grant, now = new Date()): void {
  if (grant.state !== "pending_approval") throw new AppError("conflict", `This request is already ${grant.state.replace("_", " ")}.`);
  if (grant.approvalExpiresAt && grant.approvalExpiresAt <= now) throw new AppError("conflict", "This request waited too long for approval and has expired.");
}

/** Closes the grant's approval step on its timeline. */
export async function closeApprovalStep(tx: Tx, grant: Pick<Grant, "id" | "mspId">, status: "succeeded" | "failed", detail: string): Promise<void> {
  await tx
    .update(grantSteps)
    .set({ status, finishedAt: new Date(), detail })
    .where(and(eq(grantSteps.mspId, grant.mspId), eq(grantSteps.grantId, grant.id), eq(grantSteps.step, "approval"), eq(grantSteps.status, "running")));
}
