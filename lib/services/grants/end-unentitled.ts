import { and, arrayContains, asc, eq, inArray, isNull, or, type SQL } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { grants, type Grant } from "@/db/schema";
import type { EntitlementLoss } from "@/lib/vocabulary/grant-end-reasons";
import { closeApprovalStep } from "@/lib/services/approvals/internal";
import { recordAudit } from "@/lib/services/audit/record";
import type { ServiceContext } from "@/lib/services/context";
import { entitlementOf } from "./entitlement";
import { scheduleExpiry } from "./schedule";
import { transitionGrant } from "./transition";

/** Which grants an entitlement change may touch; each one found is then measured against today's policy. */
export type EntitlementScope = { memberIds?: string[]; customerId?: string; accessLevelId?: string };

export type UnentitledGrants = { ended: number; expiring: Grant[] };

/**
 * Ends, in the caller's transaction (the one that takes an entitlement away), every live grant in `scope`
 * that today's policy no longer covers (entitlement.ts): requests waiting for approval are cancelled (an
 * approver must not be asked about access the requester can no longer have), scheduled grants are revoked, active ones start
 * expiring, provisioning ones are marked so their job hands them to expiry once the account exists. Each is
 * audited with `cause` and the gaps in words. Call it after the change and before the caller's own audit
 * event (grant rows are locked before the audit chain, as everywhere else), and queue the expiries with
 * startExpiries once the transaction has committed.
 */
export async function endUnentitledGrants(tx: Tx, ctx: ServiceContext, cause: EntitlementLoss, scope: EntitlementScope): Promise<UnentitledGrants> {
  const result: UnentitledGrants = { ended: 0, expiring: [] };
  if (scope.memberIds?.length === 0) return result;
  const where: SQL[] = [
    eq(grants.mspId, ctx.mspId),
    // A grant already asked to end keeps its first reason.
    or(inArray(grants.state, ["pending_approval", "approved"]), and(inArray(grants.state, ["provisioning", "active"]), isNull(grants.endReason)))!,
  ];
  if (scope.memberIds) where.push(inArray(grants.memberId, scope.memberIds));
  if (scope.customerId) where.push(eq(grants.customerId, scope.customerId));
  if (scope.accessLevelId) where.push(arrayContains(grants.accessLevelIds, [scope.accessLevelId]));
  // Locked in id order, so two changes ending overlapping grants wait for each other instead of deadlocking.
  const live = await tx.select().from(grants).where(and(...where)).orderBy(asc(grants.id)).for("update");
  const by = ctx.actor.type === "member" || ctx.actor.type === "token" ? ctx.actor.memberId : null;
  for (const grant of live) {
    const { gaps } = await entitlementOf(tx, grant);
    if (gaps.length === 0) continue;
    result.ended += 1;
    const audit = { reason: gaps.map((g) => g.message).join(" "), metadata: { endReason: cause } };
    const patch = { endReason: cause, endRequestedBy: by };
    if (grant.state === "pending_approval") {
      await closeApprovalStep(tx, grant, "failed", `Cancelled: ${audit.reason}`);
      await transitionGrant(tx, ctx, grant, "cancelled", { ...patch, decidedAt: new Date() }, { ...audit, metadata: { ...audit.metadata, requesterId: grant.memberId } });
    } else if (grant.state === "approved") {
      await transitionGrant(tx, ctx, grant, "revoked", { ...patch, usableTo: new Date() }, audit);
    } else if (grant.state === "active") {
      result.expiring.push(await transitionGrant(tx, ctx, grant, "expiring", { ...patch, expiryStartedAt: new Date() }, audit));
    } else {
      await tx.update(grants).set({ ...patch, updatedAt: new Date() }).where(and(eq(grants.id, grant.id), eq(grants.mspId, ctx.mspId)));
      await recordAudit(tx, ctx, { ...audit, action: "grant.end_requested", target: { type: "grant", id: grant.id, label: grant.upn } });
    }
  }
  return result;
}

/** Queues the verified expiry of the grants endUnentitledGrants set expiring; only after their transaction committed. */
export async function startExpiries(unentitled: UnentitledGrants): Promise<void> {
  await Promise.all(unentitled.expiring.map((grant) => scheduleExpiry(grant, { now: true })));
}
