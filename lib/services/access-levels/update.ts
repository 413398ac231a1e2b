import { and, eq } from "drizzle-orm";
import { accessLevels } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { conflict } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { isUniqueViolation } from "@/lib/services/customers/internal";
import { assertKnownRoles } from "./catalog";
import { getAccessLevelInMsp } from "./internal";
import { accessLevelInput } from "./schemas";

/** Changes name, description or roles; grants already running keep the roles they were given. */
export async function updateAccessLevel(ctx: ServiceContext, accessLevelId: string, input: unknown) {
  requirePermission(ctx, "access_levels:manage");
  const level = accessLevelInput.parse(input);
  try {
    await withMspTx(ctx.mspId, async (tx) => {
      const before = await getAccessLevelInMsp(tx, ctx.mspId, accessLevelId);
      await assertKnownRoles(tx, ctx.mspId, level.roleTemplateIds);
      await tx.update(accessLevels).set({ ...level, updatedAt: new Date() }).where(and(eq(accessLevels.id, before.id), eq(accessLevels.mspId, ctx.mspId)));
      await recordAudit(tx, ctx, {
        action: "access_level.updated",
        target: { type: "access_level", id: before.id, label: level.name },
        metadata: { from: { name: before.name, roleTemplateIds: before.roleTemplateIds }, to: { name: level.name, roleTemplateIds: level.roleTemplateIds } },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err, "access_levels_msp_name_uq")) throw conflict(`An access level named "${level.name}" already exists.`);
    throw err;
  }
}
