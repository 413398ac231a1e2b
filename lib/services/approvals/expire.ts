import { and, eq, lte } from "drizzle-orm";
import { grants } from "@/db/schema";
import { systemTxBypassingRls, withMspTx } from "@/db/tx";
import { systemContext } from "@/lib/services/context";
import { getGrantInMsp } from "@/lib/services/grants/grant-row";
import { transitionGrant } from "@/lib/services/grants/transition";
import { closeApprovalStep } from "./internal";

const BATCH = 500;

/**
 * Requests nobody approved in time become expired (the sweeper runs it). Each is moved under its row lock,
 * only if it still waits, so sweeps of several workers, or an approval at the same moment, never act twice.
 */
export async function expireApprovals(now = new Date()): Promise<number> {
  // The sweeper reads the requests of every MSP.
  const due = await systemTxBypassingRls((tx) =>
    tx
      .select({ id: grants.id, mspId: grants.mspId })
      .from(grants)
      .where(and(eq(grants.state, "pending_approval"), lte(grants.approvalExpiresAt, now)))
      .orderBy(grants.approvalExpiresAt)
      .limit(BATCH),
  );
  let expired = 0;
  for (const { id, mspId } of due) {
    const ctx = systemContext(mspId, "grant.expire_approvals");
    const moved = await withMspTx(mspId, async (tx) => {
      const grant = await getGrantInMsp(tx, mspId, id, { lock: true });
      if (grant.state !== "pending_approval" || !grant.approvalExpiresAt || grant.approvalExpiresAt > now) return false;
      await closeApprovalStep(tx, grant, "failed", "Nobody approved in time");
      await transitionGrant(tx, ctx, grant, "expired", { decidedAt: now }, { action: "grant.approval_expired", metadata: { requesterId: grant.memberId } });
      return true;
    });
    if (moved) expired += 1;
  }
  return expired;
}
