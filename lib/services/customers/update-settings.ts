import { and, eq } from "drizzle-orm";
import { customers, entraConnections } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { getVisibleCustomer } from "./internal";
import { customerSettingsInput } from "./schemas";

/** JIT account settings; the UPN domain must be one of the connected tenant's verified domains. */
export async function updateCustomerSettings(ctx: ServiceContext, customerId: string, input: unknown) {
  requirePermission(ctx, "customers:manage");
  const settings = customerSettingsInput.parse(input);
  await withMspTx(ctx.mspId, async (tx) => {
    const customer = await getVisibleCustomer(tx, ctx, customerId);
    if (settings.upnDomain) {
      const [connection] = await tx
        .select({ domains: entraConnections.verifiedDomains })
        .from(entraConnections)
        .where(and(eq(entraConnections.customerId, customer.id), eq(entraConnections.mspId, ctx.mspId), eq(entraConnections.status, "connected")));
      if (!connection) throw new AppError("validation_failed", "Connect the customer's Entra ID before choosing a UPN domain.", { field: "upnDomain" });
      if (!connection.domains.includes(settings.upnDomain)) {
        throw new AppError("validation_failed", `upnDomain: ${settings.upnDomain} is not a verified domain of the tenant (${connection.domains.join(", ")}).`, { field: "upnDomain" });
      }
    }
    await tx
      .update(customers)
      .set({ ...settings, updatedAt: new Date() })
      .where(and(eq(customers.id, customer.id), eq(customers.mspId, ctx.mspId)));
    await recordAudit(tx, ctx, {
      action: "customer.settings_changed",
      target: { type: "customer", id: customer.id, label: customer.name },
      metadata: { settings },
    });
  });
}
