import { and, asc, count, eq } from "drizzle-orm";
import { members, passkeys } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { requirePermission, type ServiceContext } from "@/lib/services/context";

export async function listMembers(ctx: ServiceContext) {
  requirePermission(ctx, "members:read");
  return withMspTx(ctx.mspId, (tx) =>
    tx
      .select({
        id: members.id,
        email: members.email,
        displayName: members.displayName,
        role: members.role,
        status: members.status,
        createdAt: members.createdAt,
        passkeyCount: count(passkeys.id),
      })
      .from(members)
      .leftJoin(passkeys, and(eq(passkeys.memberId, members.id), eq(passkeys.mspId, members.mspId)))
      .where(eq(members.mspId, ctx.mspId))
      .groupBy(members.id)
      .orderBy(asc(members.displayName)),
  );
}
