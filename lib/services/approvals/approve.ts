import { and, eq } from "drizzle-orm";
import { grants } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { spendStepUp } from "@/lib/services/auth/spend-step-up";
import type { ServiceContext } from "@/lib/services/context";
import { scheduleProvisioning } from "@/lib/services/grants/schedule";
import { transitionGrant } from "@/lib/services/grants/transition";
import { closeApprovalStep, grantForApprover, requirePending } from "./internal";
import { approveGrantInput } from "./schemas";

/** Approving is a person's act: an access token is sent to the console, where the approver's passkey is. */
export function approvalNeedsConsole(grantId: string): AppError {
  return new AppError("forbidden", "Approving needs the approver's passkey: approve in the console.", { details: { consoleUrl: `/approvals#grant-${grantId}` } });
}

/**
 * An approver says yes, with a fresh passkey step-up (used up). With two approvals required, the first is
 * recorded and the request keeps waiting for a second, different member. The last approval makes the grant
 * approved: its clock starts now, not at the request (a scheduled start still ahead is kept), it may be
 * shortened, and only now is its provisioning queued.
 */
export async function approveGrant(ctx: ServiceContext, grantId: string, input: unknown) {
  const { durationMinutes } = approveGrantInput.parse(input);
  const grant = await withMspTx(ctx.mspId, async (tx) => {
    const { grant: current, approverId } = await grantForApprover(tx, ctx, grantId);
    if (ctx.actor.type === "token") throw approvalNeedsConsole(current.id);
    const now = new Date();
    requirePending(current, now);
    if (current.approvedBy.includes(approverId)) throw new AppError("conflict", "You have already approved this request; a second approver must be someone else.");
    if (durationMinutes !== undefined && durationMinutes > current.durationMinutes) {
      throw new AppError("validation_failed", `You can shorten the request (${current.durationMinutes} minutes), not lengthen it.`, { field: "durationMinutes" });
    }
    await spendStepUp(tx, ctx);
    const approvedBy = [...current.approvedBy, approverId];
    const duration = durationMinutes ?? current.durationMinutes;
    if (approvedBy.length < current.approvalsRequired) {
      const [row] = await tx
        .update(grants)
        .set({ approvedBy, durationMinutes: duration, updatedAt: now })
        .where(and(eq(grants.id, current.id), eq(grants.mspId, ctx.mspId)))
        .returning();
      await recordAudit(tx, ctx, {
        action: "grant.approval_recorded",
        target: { type: "grant", id: current.id, label: current.upn },
        metadata: { approvedBy, approvalsRequired: current.approvalsRequired, requesterId: current.memberId, durationMinutes: duration },
      });
      return row!;
    }
    await closeApprovalStep(tx, current, "succeeded", `Approved by ${approvedBy.length === 1 ? "one member" : `${approvedBy.length} members`}`);
    return transitionGrant(
      tx,
      ctx,
      current,
      "approved",
      { approvedBy, durationMinutes: duration, startAt: current.startAt > now ? current.startAt : now, decidedAt: now },
      { metadata: { approvedBy, requesterId: current.memberId, durationMinutes: duration, requestedMinutes: current.durationMinutes, decision: "approval" } },
    );
  });
  if (grant.state === "approved") await scheduleProvisioning(grant);
  return grant;
}
