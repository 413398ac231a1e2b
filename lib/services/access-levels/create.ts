import { accessLevels } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { GLOBAL_ADMINISTRATOR } from "@/lib/entra/role-catalog";
import { conflict } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { recordAudit } from "@/lib/services/audit/record";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { isUniqueViolation } from "@/lib/services/customers/internal";
import { assertKnownRoles } from "./catalog";
import { accessLevelInput } from "./schemas";

export async function createAccessLevel(ctx: ServiceContext, input: unknown) {
  requirePermission(ctx, "access_levels:manage");
  const level = accessLevelInput.parse(input);
  try {
    return await withMspTx(ctx.mspId, async (tx) => {
      await assertKnownRoles(tx, ctx.mspId, level.roleTemplateIds);
      const [row] = await tx.insert(accessLevels).values({ id: newId("accessLevel"), mspId: ctx.mspId, ...level }).returning();
      await recordAudit(tx, ctx, {
        action: "access_level.created",
        target: { type: "access_level", id: row!.id, label: level.name },
        metadata: { roleTemplateIds: level.roleTemplateIds, includesGlobalAdministrator: level.roleTemplateIds.includes(GLOBAL_ADMINISTRATOR) },
      });
      return row!;
    });
  } catch (err) {
    if (isUniqueViolation(err, "access_levels_msp_name_uq")) throw conflict(`An access level named "${level.name}" already exists.`);
    throw err;
  }
}
