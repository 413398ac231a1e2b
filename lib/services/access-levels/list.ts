import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { accessLevels, customerAccessLevels } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { requirePermission, type ServiceContext } from "@/lib/services/context";

/** The MSP's access levels, each with the customers it is enabled on. */
export async function listAccessLevels(ctx: ServiceContext) {
  requirePermission(ctx, "customers:read_all");
  return withMspTx(ctx.mspId, (tx) =>
    tx
      .select({
        id: accessLevels.id,
        name: accessLevels.name,
        description: accessLevels.description,
        roleTemplateIds: accessLevels.roleTemplateIds,
        privileged: accessLevels.privileged,
        customerIds: sql<string[]>`coalesce(array_agg(${customerAccessLevels.customerId}) filter (where ${customerAccessLevels.customerId} is not null), '{}')`,
      })
      .from(accessLevels)
      .leftJoin(customerAccessLevels, and(eq(customerAccessLevels.accessLevelId, accessLevels.id), eq(customerAccessLevels.mspId, accessLevels.mspId)))
      .where(and(eq(accessLevels.mspId, ctx.mspId), isNull(accessLevels.archivedAt)))
      .groupBy(accessLevels.id)
      .orderBy(asc(accessLevels.name)),
  );
}
