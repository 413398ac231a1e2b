import { asc, eq, sql } from "drizzle-orm";
import { accessPolicies } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { requirePermission, type ServiceContext } from "@/lib/services/context";

/** The MSP's access policies: the default first, then by name. */
export async function listAccessPolicies(ctx: ServiceContext) {
  requirePermission(ctx, "access_policies:manage");
  return withMspTx(ctx.mspId, (tx) =>
    tx
      .select()
      .from(accessPolicies)
      .where(eq(accessPolicies.mspId, ctx.mspId))
      .orderBy(sql`(${accessPolicies.customerId} is null and ${accessPolicies.accessLevelId} is null) desc`, asc(accessPolicies.name)),
  );
}
