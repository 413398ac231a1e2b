import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import { members } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { canManageRole } from "@/lib/auth/permissions";
import { conflict, forbidden } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { endUnentitledGrants, startExpiries } from "@/lib/services/grants/end-unentitled";
import { requireFreshStepUp, requireMember, requirePermission, type ServiceContext } from "@/lib/services/context";
import { activeOwnerCount, getManageableMember, lockMemberChanges } from "./internal";
import { changeRoleInput } from "./schemas";

export async function changeMemberRole(ctx: ServiceContext, memberId: string, input: z.input<typeof changeRoleInput>) {
  requirePermission(ctx, "members:manage");
  const me = requireMember(ctx);
  const { role } = changeRoleInput.parse(input);
  if (!canManageRole(me.role, role)) throw forbidden(`You cannot make someone ${role}.`);
  // A role decides what someone may do in customers' tenants: changing it needs the actor's passkey.
  requireFreshStepUp(ctx);
  const unentitled = await withMspTx(ctx.mspId, async (tx) => {
    await lockMemberChanges(tx, ctx.mspId);
    const member = await getManageableMember(tx, ctx.mspId, me, memberId);
    if (member.role === role) return null;
    await tx.update(members).set({ role, updatedAt: new Date() }).where(and(eq(members.id, member.id), eq(members.mspId, ctx.mspId)));
    if (member.role === "owner" && (await activeOwnerCount(tx, ctx.mspId)) === 0) {
      throw conflict("The MSP needs at least one active owner.");
    }
    // Access follows the role: a role that may no longer hold access (auditor) loses its live grants now.
    const ended = await endUnentitledGrants(tx, ctx, "role_changed", { memberIds: [member.id] });
    await recordAudit(tx, ctx, {
      action: "member.role_changed",
      target: { type: "member", id: member.id, label: member.email },
      metadata: { from: member.role, to: role },
    });
    return ended;
  });
  if (unentitled) await startExpiries(unentitled);
}
