import { and, eq } from "drizzle-orm";
import { customerAccessLevels } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { recordAudit } from "@/lib/services/audit/record";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { getVisibleCustomer } from "@/lib/services/customers/internal";
import { endUnentitledGrants, startExpiries } from "@/lib/services/grants/end-unentitled";
import { getAccessLevelInMsp } from "./internal";
import { enableInput } from "./schemas";

/**
 * Turns an access level on or off for one customer (what technicians may request there). Off ends the
 * customer's grants that hold it.
 */
export async function setAccessLevelForCustomer(ctx: ServiceContext, customerId: string, accessLevelId: string, input: unknown) {
  requirePermission(ctx, "access_levels:manage");
  const { enabled } = enableInput.parse(input);
  const unentitled = await withMspTx(ctx.mspId, async (tx) => {
    const customer = await getVisibleCustomer(tx, ctx, customerId);
    const level = await getAccessLevelInMsp(tx, ctx.mspId, accessLevelId);
    if (enabled) {
      await tx.insert(customerAccessLevels).values({ mspId: ctx.mspId, customerId: customer.id, accessLevelId: level.id }).onConflictDoNothing();
    } else {
      await tx
        .delete(customerAccessLevels)
        .where(and(eq(customerAccessLevels.mspId, ctx.mspId), eq(customerAccessLevels.customerId, customer.id), eq(customerAccessLevels.accessLevelId, level.id)));
    }
    const ended = enabled ? null : await endUnentitledGrants(tx, ctx, "access_level_disabled", { customerId: customer.id, accessLevelId: level.id });
    await recordAudit(tx, ctx, {
      action: enabled ? "access_level.enabled" : "access_level.disabled",
      target: { type: "customer", id: customer.id, label: customer.name },
      metadata: { accessLevel: level.id, name: level.name },
    });
    return ended;
  });
  if (unentitled) await startExpiries(unentitled);
}
