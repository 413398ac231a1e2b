import { and, eq } from "drizzle-orm";
import { members } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { recordAudit } from "@/lib/services/audit/record";
import { requireFreshStepUp, requireMember, requirePermission, type ServiceContext } from "@/lib/services/context";
import { getManageableMember } from "./internal";

/**
 * Re-enables a disabled member; they sign in with their existing passkeys. Needs a fresh step-up: it
 * gives sign-in back to every passkey the member ever registered.
 */
export async function enableMember(ctx: ServiceContext, memberId: string) {
  requirePermission(ctx, "members:manage");
  const me = requireMember(ctx);
  requireFreshStepUp(ctx);
  await withMspTx(ctx.mspId, async (tx) => {
    const member = await getManageableMember(tx, ctx.mspId, me, memberId);
    if (member.status === "active") return;
    await tx
      .update(members)
      .set({ status: "active", disabledAt: null, updatedAt: new Date() })
      .where(and(eq(members.id, member.id), eq(members.mspId, ctx.mspId)));
    await recordAudit(tx, ctx, { action: "member.enabled", target: { type: "member", id: member.id, label: member.email } });
  });
}
