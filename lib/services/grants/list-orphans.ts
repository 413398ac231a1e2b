import { and, desc, eq } from "drizzle-orm";
import { customers, orphanAccounts } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { requirePermission, type ServiceContext } from "@/lib/services/context";

/** Stint-tagged accounts the orphan scan found without a live grant, newest first, with their customer. */
export async function listOrphanAccounts(ctx: ServiceContext, options: { limit?: number } = {}) {
  requirePermission(ctx, "grants:read_all");
  return withMspTx(ctx.mspId, (tx) =>
    tx
      .select({
        id: orphanAccounts.id,
        userPrincipalName: orphanAccounts.userPrincipalName,
        entraUserId: orphanAccounts.entraUserId,
        grantId: orphanAccounts.grantId,
        customerId: orphanAccounts.customerId,
        customerName: customers.name,
        foundAt: orphanAccounts.foundAt,
        disabledAt: orphanAccounts.disabledAt,
        detail: orphanAccounts.detail,
      })
      .from(orphanAccounts)
      .innerJoin(customers, and(eq(customers.id, orphanAccounts.customerId), eq(customers.mspId, orphanAccounts.mspId)))
      .where(eq(orphanAccounts.mspId, ctx.mspId))
      .orderBy(desc(orphanAccounts.foundAt))
      .limit(options.limit ?? 50),
  );
}
