import { and, eq } from "drizzle-orm";
import { grants } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import type { ServiceContext } from "@/lib/services/context";
import { grantForApprover } from "./internal";
import { reviewGrantInput } from "./schemas";

/** An approver marks a break-glass grant as reviewed after the fact, with an optional note. */
export async function reviewEmergencyGrant(ctx: ServiceContext, grantId: string, input: unknown) {
  const { note } = reviewGrantInput.parse(input);
  return withMspTx(ctx.mspId, async (tx) => {
    const { grant, approverId } = await grantForApprover(tx, ctx, grantId);
    if (!grant.emergency) throw new AppError("conflict", "Only emergency grants are reviewed.");
    if (grant.reviewedAt) throw new AppError("conflict", "This emergency grant has already been reviewed.");
    const [row] = await tx
      .update(grants)
      .set({ reviewedBy: approverId, reviewedAt: new Date() })
      .where(and(eq(grants.id, grant.id), eq(grants.mspId, ctx.mspId)))
      .returning();
    await recordAudit(tx, ctx, { action: "grant.emergency_reviewed", reason: note, target: { type: "grant", id: grant.id, label: grant.upn }, metadata: { requesterId: grant.memberId } });
    return row!;
  });
}
