import { and, asc, count, eq } from "drizzle-orm";
import { customers, grants } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { killSwitchScope } from "./kill-switch";
import { killSwitchInput } from "./schemas";

/**
 * What pulling the kill switch with this input would end, per customer, before anyone confirms it: the
 * input is checked as the switch itself checks it, so a missing reason is refused before the question.
 */
export async function previewKillSwitch(ctx: ServiceContext, input: unknown) {
  requirePermission(ctx, "grants:kill_switch");
  const { customerId } = killSwitchInput.parse(input);
  return withMspTx(ctx.mspId, async (tx) => {
    const { scope } = await killSwitchScope(tx, ctx, customerId);
    const rows = await tx
      .select({ id: customers.id, name: customers.name, grants: count() })
      .from(grants)
      .innerJoin(customers, and(eq(customers.id, grants.customerId), eq(customers.mspId, grants.mspId)))
      .where(and(...scope))
      .groupBy(customers.id, customers.name)
      .orderBy(asc(customers.name));
    return { total: rows.reduce((sum, r) => sum + r.grants, 0), customers: rows };
  });
}
