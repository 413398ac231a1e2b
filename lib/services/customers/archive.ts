import { and, eq } from "drizzle-orm";
import { customers } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { recordAudit } from "@/lib/services/audit/record";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { getVisibleCustomer } from "./internal";
import { archiveCustomerInput } from "./schemas";

/** Archived customers stay in the audit trail but can no longer be requested; `restore` undoes it. */
export async function setCustomerArchived(ctx: ServiceContext, customerId: string, input: unknown) {
  requirePermission(ctx, "customers:manage");
  const { archived } = archiveCustomerInput.parse(input);
  await withMspTx(ctx.mspId, async (tx) => {
    const customer = await getVisibleCustomer(tx, ctx, customerId);
    if ((customer.status === "archived") === archived) return;
    await tx
      .update(customers)
      .set({ status: archived ? "archived" : "active", archivedAt: archived ? new Date() : null, updatedAt: new Date() })
      .where(and(eq(customers.id, customer.id), eq(customers.mspId, ctx.mspId)));
    await recordAudit(tx, ctx, {
      action: archived ? "customer.archived" : "customer.restored",
      target: { type: "customer", id: customer.id, label: customer.name },
    });
  });
}
