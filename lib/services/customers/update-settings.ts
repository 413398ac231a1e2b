import { and, eq } from "drizzle-orm";
import { customers, entraConnections } from "@/db/schema";
import { supportsTap } from "@/lib/entra/clouds";
import { withMspTx } from "@/db/tx";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { getVisibleCustomer } from "./internal";
import { customerSettingsInput } from "./schemas";

/**
 * JIT account settings; the UPN domain must be one of the connected tenant's verified domains. Saving a
 * sign-in method makes it the admin's: reconnecting no longer picks one for the tenant.
 */
export async function updateCustomerSettings(ctx: ServiceContext, customerId: string, input: unknown) {
  requirePermission(ctx, "customers:manage");
  const settings = customerSettingsInput.parse(input);
  await withMspTx(ctx.mspId, async (tx) => {
    const customer = await getVisibleCustomer(tx, ctx, customerId);
    const method = settings.signInMethod ?? customer.signInMethod;
    if (method === "tap" && !supportsTap(customer.isSandbox ? "sandbox" : "microsoft")) {
      throw new AppError("validation_failed", "signInMethod: this Microsoft cloud has no Temporary Access Pass API; use password only.", { field: "signInMethod" });
    }
    if (method === "tap" && !settings.expiryActions.includes("remove_tap") && !settings.expiryActions.includes("delete")) {
      throw new AppError("validation_failed", "expiryActions: with Temporary Access Pass sign-in, expiry must remove the pass (or delete the account).", { field: "expiryActions" });
    }
    // Saved with the form that shows it, the method is the admin's from now on.
    const chosen = settings.signInMethod !== undefined ? { signInMethodChosenAt: new Date() } : {};
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
      .set({ ...settings, signInMethod: method, ...chosen, updatedAt: new Date() })
      .where(and(eq(customers.id, customer.id), eq(customers.mspId, ctx.mspId)));
    await recordAudit(tx, ctx, {
      action: "customer.settings_changed",
      target: { type: "customer", id: customer.id, label: customer.name },
      metadata: { settings },
    });
  });
}
