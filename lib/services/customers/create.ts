import { customers } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { conflict } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { recordAudit } from "@/lib/services/audit/record";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { isUniqueViolation } from "./internal";
import { createCustomerInput } from "./schemas";

export async function createCustomer(ctx: ServiceContext, input: unknown, options: { isSandbox?: boolean } = {}) {
  requirePermission(ctx, "customers:manage");
  const { name } = createCustomerInput.parse(input);
  try {
    return await withMspTx(ctx.mspId, async (tx) => {
      const [row] = await tx
        .insert(customers)
        .values({ id: newId("customer"), mspId: ctx.mspId, name, isSandbox: options.isSandbox ?? false })
        .returning();
      await recordAudit(tx, ctx, {
        action: "customer.created",
        target: { type: "customer", id: row!.id, label: name },
        metadata: options.isSandbox ? { sandbox: true } : {},
      });
      return row!;
    });
  } catch (err) {
    if (isUniqueViolation(err, "customers_msp_name_uq")) throw conflict(`A customer named "${name}" already exists.`);
    throw err;
  }
}
