import { and, eq } from "drizzle-orm";
import { grants } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { requireMember, type ServiceContext } from "@/lib/services/context";
import { getMyAccessOnCustomerInTx } from "@/lib/services/delegations/my-access";
import { getGrantInMsp } from "./grant-row";
import { scheduleExpiry, scheduleTapRenewal } from "./schedule";
import { extendGrantInput } from "./schemas";
import { tokenMaySee } from "./token-restriction";

/**
 * The technician extends their live grant, within the maximum the policy allows today (the customer's
 * and the delegations' limits for the grant's access levels, measured from when the account became
 * usable). Recorded in the grant and the audit log; a new timer replaces the old one. A grant extended
 * past its Temporary Access Pass gets a new pass before the old one lapses; where a renewal already
 * failed for good, the grant can be extended only as far as its current pass reaches.
 */
export async function extendGrant(ctx: ServiceContext, grantId: string, input: unknown) {
  const me = requireMember(ctx);
  const { minutes } = extendGrantInput.parse(input);
  const grant = await withMspTx(ctx.mspId, async (tx) => {
    const current = await getGrantInMsp(tx, ctx.mspId, grantId, { lock: true });
    if (current.memberId !== me.memberId || !tokenMaySee(ctx, current.customerId)) throw new AppError("not_found", "Grant not found.");
    if (current.state !== "active" && current.state !== "provisioning" && current.state !== "approved") {
      throw new AppError("conflict", `A grant that is ${current.state} cannot be extended.`);
    }
    if (current.endReason) throw new AppError("conflict", "This grant is being ended.");
    const access = await getMyAccessOnCustomerInTx(tx, ctx, current.customerId);
    const limits = current.accessLevelIds.map((id) => access.accessLevels.find((l) => l.accessLevelId === id)?.maxDurationMinutes ?? 0);
    const maximum = Math.min(access.customer.maxDurationMinutes, ...limits);
    const total = current.durationMinutes + current.extendedMinutes + minutes;
    if (total > maximum) {
      const left = Math.max(0, maximum - current.durationMinutes - current.extendedMinutes);
      throw new AppError("validation_failed", `minutes: at most ${left} more minutes (the maximum here is ${maximum} minutes in all).`, { field: "minutes" });
    }
    const endsAt = current.endsAt ? new Date(current.endsAt.getTime() + minutes * 60_000) : null;
    if (current.tapRenewalError && current.tapExpiresAt && endsAt && endsAt > current.tapExpiresAt) {
      const reach = Math.max(0, Math.floor((current.tapExpiresAt.getTime() - current.endsAt!.getTime()) / 60_000));
      throw new AppError("conflict", `This grant's Temporary Access Pass cannot be renewed (${current.tapRenewalError}) It can be extended by at most ${reach} more minutes.`);
    }
    const [row] = await tx
      .update(grants)
      .set({ extendedMinutes: current.extendedMinutes + minutes, endsAt, updatedAt: new Date() })
      .where(and(eq(grants.id, current.id), eq(grants.mspId, ctx.mspId), eq(grants.state, current.state)))
      .returning();
    if (!row) throw new AppError("conflict", "The grant changed meanwhile. Reload and try again.");
    await recordAudit(tx, ctx, {
      action: "grant.extended",
      target: { type: "grant", id: current.id, label: current.upn },
      metadata: { minutes, totalMinutes: total, endsAt: endsAt?.toISOString() ?? null },
    });
    return row;
  });
  if (grant.state === "active") {
    await scheduleExpiry(grant);
    await scheduleTapRenewal(grant);
  }
  return grant;
}
