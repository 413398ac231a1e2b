import { and, eq } from "drizzle-orm";
import { delegations, teamMembers } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { recordAudit } from "@/lib/services/audit/record";
import { requireFreshStepUp, requireMember, requirePermission, type ServiceContext } from "@/lib/services/context";
import { endUnentitledGrants, startExpiries } from "@/lib/services/grants/end-unentitled";
import { getMemberInMsp, getTeamInMsp } from "./internal";
import { membershipInput } from "./schemas";

/**
 * Adds a member to a team or takes them out; delegations to the team follow at once, and so do the
 * member's grants that only the team's delegations covered. Adding oneself to a team that holds delegations
 * needs a fresh step-up, as delegating to oneself does: it lets the actor request admin access for themselves.
 */
export async function setTeamMembership(ctx: ServiceContext, teamId: string, input: unknown) {
  requirePermission(ctx, "delegations:manage");
  const me = requireMember(ctx);
  const { memberId, inTeam } = membershipInput.parse(input);
  const unentitled = await withMspTx(ctx.mspId, async (tx) => {
    const team = await getTeamInMsp(tx, ctx.mspId, teamId);
    const member = await getMemberInMsp(tx, ctx.mspId, memberId);
    if (inTeam && member.id === me.memberId) {
      const [delegated] = await tx
        .select({ id: delegations.id })
        .from(delegations)
        .where(and(eq(delegations.mspId, ctx.mspId), eq(delegations.teamId, team.id)))
        .limit(1);
      if (delegated) requireFreshStepUp(ctx);
    }
    if (inTeam) {
      await tx.insert(teamMembers).values({ mspId: ctx.mspId, teamId: team.id, memberId: member.id }).onConflictDoNothing();
    } else {
      await tx.delete(teamMembers).where(and(eq(teamMembers.mspId, ctx.mspId), eq(teamMembers.teamId, team.id), eq(teamMembers.memberId, member.id)));
    }
    // Leaving a team may take away what only its delegations covered.
    const ended = await endUnentitledGrants(tx, ctx, "delegation_removed", { memberIds: inTeam ? [] : [member.id] });
    await recordAudit(tx, ctx, {
      action: inTeam ? "team.member_added" : "team.member_removed",
      target: { type: "team", id: team.id, label: team.name },
      metadata: { member: member.id, email: member.email },
    });
    return ended;
  });
  await startExpiries(unentitled);
}
