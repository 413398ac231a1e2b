import { and, eq, inArray, type SQL } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { grants } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { recordAudit } from "@/lib/services/audit/record";
import { requireFreshStepUp, requireMember, requirePermission, type ServiceContext } from "@/lib/services/context";
import { getVisibleCustomer } from "@/lib/services/customers/internal";
import { retryRevocationsNow } from "./retry-revocation";
import { scheduleExpiry } from "./schedule";
import { recordActStep } from "./steps";
import { killSwitchInput } from "./schemas";
import { transitionGrant } from "./transition";

/** The grants the kill switch ends: every live one of the customer (one the member can see), or of the MSP. */
export async function killSwitchScope(tx: Tx, ctx: ServiceContext, customerId: string | undefined): Promise<{ scope: SQL[]; label: string }> {
  const scope: SQL[] = [eq(grants.mspId, ctx.mspId), inArray(grants.state, ["approved", "provisioning", "active", "irrevocable"])];
  if (!customerId) return { scope, label: "the whole MSP" };
  const customer = await getVisibleCustomer(tx, ctx, customerId);
  return { scope: [...scope, eq(grants.customerId, customer.id)], label: customer.name };
}

/**
 * Ends every live grant of one customer, or of the whole MSP, in one action (needs a fresh step-up).
 * Scheduled grants are revoked before they start; active ones start expiring at once; provisioning
 * ones are marked so that their job hands them to expiry as soon as the account exists; ones that could
 * not be revoked so far are tried again at once.
 */
export async function pullKillSwitch(ctx: ServiceContext, input: unknown) {
  requirePermission(ctx, "grants:kill_switch");
  const me = requireMember(ctx);
  requireFreshStepUp(ctx);
  const { customerId, reason } = killSwitchInput.parse(input);
  const toExpire = await withMspTx(ctx.mspId, async (tx) => {
    const { scope, label } = await killSwitchScope(tx, ctx, customerId);
    const live = await tx.select().from(grants).where(and(...scope)).for("update");
    const expiring = [];
    for (const grant of live) {
      const patch = { endReason: "kill_switch" as const, endRequestedBy: me.memberId, revokeReason: reason };
      // Like a revoke's reason, the technician reads it on the grant's timeline.
      if (grant.state !== "irrevocable") await recordActStep(tx, grant, "kill_switch", `${me.label}: ${reason}`);
      if (grant.state === "approved") await transitionGrant(tx, ctx, grant, "revoked", { ...patch, usableTo: new Date() }, { reason });
      else if (grant.state === "active") expiring.push(await transitionGrant(tx, ctx, grant, "expiring", { ...patch, expiryStartedAt: new Date() }, { reason }));
      else if (grant.state === "irrevocable") expiring.push(...(await retryRevocationsNow(tx, ctx, { grantIds: [grant.id] })));
      else await tx.update(grants).set({ ...patch, updatedAt: new Date() }).where(and(eq(grants.id, grant.id), eq(grants.mspId, ctx.mspId)));
    }
    await recordAudit(tx, ctx, {
      action: "grant.kill_switch",
      reason,
      target: customerId ? { type: "customer", id: customerId, label } : { type: "msp", id: ctx.mspId, label },
      metadata: { grants: live.length },
    });
    return { expiring, total: live.length };
  });
  await Promise.all(toExpire.expiring.map((g) => scheduleExpiry(g, { now: true })));
  return { ended: toExpire.total };
}
