import { customerAccessLevels, delegationAccessLevels, delegations, teamMembers } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { and, eq, inArray } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { assertAccessLevelsInMsp } from "@/lib/services/access-levels/internal";
import { recordAudit } from "@/lib/services/audit/record";
import { requireFreshStepUp, requireMember, requirePermission, type ServiceContext } from "@/lib/services/context";
import { getVisibleCustomer } from "@/lib/services/customers/internal";
import { getMemberInMsp, getTeamInMsp } from "@/lib/services/teams/internal";
import { delegationInput } from "./schemas";

/**
 * Delegates access levels on one customer (or all customers) to a member or a team, for at most
 * maxDurationMinutes per grant. For a single customer, the levels must be enabled on it and the
 * duration within the customer's maximum. A delegation that covers the actor (to themselves, or to a
 * team they are in) needs a fresh step-up: it lets them request admin access for themselves.
 */
export async function createDelegation(ctx: ServiceContext, input: unknown) {
  requirePermission(ctx, "delegations:manage");
  const me = requireMember(ctx);
  const d = delegationInput.parse(input);
  return withMspTx(ctx.mspId, async (tx) => {
    const subject = d.memberId ? await getMemberInMsp(tx, ctx.mspId, d.memberId) : await getTeamInMsp(tx, ctx.mspId, d.teamId!);
    const coversActor = d.memberId
      ? d.memberId === me.memberId
      : (await tx
          .select({ memberId: teamMembers.memberId })
          .from(teamMembers)
          .where(and(eq(teamMembers.mspId, ctx.mspId), eq(teamMembers.teamId, d.teamId!), eq(teamMembers.memberId, me.memberId)))
          .limit(1)).length > 0;
    if (coversActor) requireFreshStepUp(ctx);
    await assertAccessLevelsInMsp(tx, ctx.mspId, d.accessLevelIds);
    let customerLabel = "all customers";
    if (d.customerId) {
      const customer = await getVisibleCustomer(tx, ctx, d.customerId);
      customerLabel = customer.name;
      if (d.maxDurationMinutes > customer.maxDurationMinutes) {
        throw new AppError("validation_failed", `maxDurationMinutes: ${customer.name} allows at most ${customer.maxDurationMinutes} minutes.`, { field: "maxDurationMinutes" });
      }
      const enabled = await tx
        .select({ id: customerAccessLevels.accessLevelId })
        .from(customerAccessLevels)
        .where(and(eq(customerAccessLevels.mspId, ctx.mspId), eq(customerAccessLevels.customerId, customer.id), inArray(customerAccessLevels.accessLevelId, d.accessLevelIds)));
      const notEnabled = d.accessLevelIds.filter((id) => !enabled.some((e) => e.id === id));
      if (notEnabled.length) {
        throw new AppError("validation_failed", `accessLevelIds: not enabled on ${customer.name}: ${notEnabled.join(", ")}.`, { field: "accessLevelIds" });
      }
    }
    const id = newId("delegation");
    await tx.insert(delegations).values({
      id,
      mspId: ctx.mspId,
      memberId: d.memberId,
      teamId: d.teamId,
      customerId: d.customerId,
      maxDurationMinutes: d.maxDurationMinutes,
      createdBy: me.memberId,
    });
    await tx.insert(delegationAccessLevels).values(d.accessLevelIds.map((accessLevelId) => ({ mspId: ctx.mspId, delegationId: id, accessLevelId })));
    await recordAudit(tx, ctx, {
      action: "delegation.created",
      target: { type: "delegation", id, label: `${"email" in subject ? subject.email : `team ${subject.name}`} → ${customerLabel}` },
      metadata: { customerId: d.customerId, accessLevelIds: d.accessLevelIds, maxDurationMinutes: d.maxDurationMinutes },
    });
    return { id };
  });
}
