import { and, eq } from "drizzle-orm";
import { customers } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { conflict } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { getVisibleCustomer, isUniqueViolation } from "./internal";
import { renameCustomerInput } from "./schemas";

export async function renameCustomer(ctx: ServiceContext, customerId: string, input: unknown) {
  requirePermission(ctx, "customers:manage");
  const { name } = renameCustomerInput.parse(input);
  try {
    await withMspTx(ctx.mspId, async (tx) => {
      const customer = await getVisibleCustomer(tx, ctx, customerId);
      await tx.update(customers).set({ name, updatedAt: new Date() }).where(and(eq(customers.id, customer.id), eq(customers.mspId, ctx.mspId)));
      await recordAudit(tx, ctx, {
        action: "customer.renamed",
        target: { type: "customer", id: customer.id, label: name },
        metadata: { from: customer.name },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err, "customers_msp_name_uq")) throw conflict(`A customer named "${name}" already exists.`);
    throw err;
  }
}
