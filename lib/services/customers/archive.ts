import { and, eq } from "drizzle-orm";
import { customers } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { recordAudit } from "@/lib/services/audit/record";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { endUnentitledGrants, startExpiries } from "@/lib/services/grants/end-unentitled";
import { getVisibleCustomer } from "./internal";
import { archiveCustomerInput } from "./schemas";

/**
 * Archived customers stay in the audit trail but can no longer be requested, and their live grants end
 * now; `restore` undoes the archiving (not the ended grants).
 */
export async function setCustomerArchived(ctx: ServiceContext, customerId: string, input: unknown) {
  requirePermission(ctx, "customers:manage");
  const { archived } = archiveCustomerInput.parse(input);
  const unentitled = await withMspTx(ctx.mspId, async (tx) => {
    const customer = await getVisibleCustomer(tx, ctx, customerId);
    if ((customer.status === "archived") === archived) return null;
    await tx
      .update(customers)
      .set({ status: archived ? "archived" : "active", archivedAt: archived ? new Date() : null, updatedAt: new Date() })
      .where(and(eq(customers.id, customer.id), eq(customers.mspId, ctx.mspId)));
    const ended = archived ? await endUnentitledGrants(tx, ctx, "customer_archived", { customerId: customer.id }) : null;
    await recordAudit(tx, ctx, {
      action: archived ? "customer.archived" : "customer.restored",
      target: { type: "customer", id: customer.id, label: customer.name },
    });
    return ended;
  });
  if (unentitled) await startExpiries(unentitled);
}
