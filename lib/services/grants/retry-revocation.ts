import { and, eq, inArray, type SQL } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { grants, type Grant } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { AppError, notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { getGrantInMsp } from "./grant-row";
import { scheduleExpiry } from "./schedule";
import { tokenMaySee } from "./token-restriction";

/**
 * Brings the next attempt of irrevocable grants (one customer's, or the given ones) forward to now, in the
 * caller's transaction, each audited. Returns them: the caller queues their expiry once it has committed.
 */
export async function retryRevocationsNow(tx: Tx, ctx: ServiceContext, scope: { customerId?: string; grantIds?: string[] }): Promise<Grant[]> {
  const where: SQL[] = [eq(grants.mspId, ctx.mspId), eq(grants.state, "irrevocable")];
  if (scope.customerId) where.push(eq(grants.customerId, scope.customerId));
  if (scope.grantIds) where.push(inArray(grants.id, scope.grantIds));
  const due = await tx
    .update(grants)
    .set({ nextExpiryAttemptAt: new Date(), updatedAt: new Date() })
    .where(and(...where))
    .returning();
  for (const grant of due) {
    await recordAudit(tx, ctx, { action: "grant.revocation_retry_requested", target: { type: "grant", id: grant.id, label: grant.upn } });
  }
  return due;
}

/** An admin's "Retry now" on a grant that could not be revoked: its next attempt runs at once. */
export async function retryRevocation(ctx: ServiceContext, grantId: string): Promise<Grant> {
  requirePermission(ctx, "grants:revoke");
  const grant = await withMspTx(ctx.mspId, async (tx) => {
    const current = await getGrantInMsp(tx, ctx.mspId, grantId, { lock: true });
    if (!tokenMaySee(ctx, current.customerId)) throw notFound("Grant");
    if (current.state !== "irrevocable") throw new AppError("conflict", `Only a grant that could not be revoked can be retried; this one is ${current.state}.`);
    const [due] = await retryRevocationsNow(tx, ctx, { grantIds: [current.id] });
    return due!;
  });
  await scheduleExpiry(grant, { now: true });
  return grant;
}
