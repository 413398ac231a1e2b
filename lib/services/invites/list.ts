import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { invites } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { requirePermission, type ServiceContext } from "@/lib/services/context";

/** Invites that can still be accepted. */
export async function listPendingInvites(ctx: ServiceContext) {
  requirePermission(ctx, "members:read");
  return withMspTx(ctx.mspId, (tx) =>
    tx
      .select({
        id: invites.id,
        email: invites.email,
        displayName: invites.displayName,
        role: invites.role,
        memberId: invites.memberId,
        createdAt: invites.createdAt,
        expiresAt: invites.expiresAt,
      })
      .from(invites)
      .where(and(eq(invites.mspId, ctx.mspId), isNull(invites.usedAt), isNull(invites.revokedAt), gt(invites.expiresAt, new Date())))
      .orderBy(desc(invites.createdAt)),
  );
}
