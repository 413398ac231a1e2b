import { and, eq, isNull } from "drizzle-orm";
import { invites } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { requirePermission, type ServiceContext } from "@/lib/services/context";

export async function revokeInvite(ctx: ServiceContext, inviteId: string) {
  requirePermission(ctx, "members:invite");
  await withMspTx(ctx.mspId, async (tx) => {
    const [row] = await tx
      .update(invites)
      .set({ revokedAt: new Date() })
      .where(and(eq(invites.id, inviteId), eq(invites.mspId, ctx.mspId), isNull(invites.usedAt), isNull(invites.revokedAt)))
      .returning();
    if (!row) throw notFound("Invite");
    await recordAudit(tx, ctx, { action: "member.invite_revoked", target: { type: "invite", id: row.id, label: row.email } });
  });
}
