import { roleNamer } from "@/lib/entra/role-names";
import { sessionRoute } from "@/lib/http/route";
import { getCustomer } from "@/lib/services/customers/get";
import { getMyAccessOnCustomer } from "@/lib/services/delegations/my-access";

/** What the caller may request on one customer, and the customer's limits and consent text: the request form reads it. */
export const GET = sessionRoute({}, async ({ ctx, params }) => {
  const [{ customer, accessLevels }, { connection }] = await Promise.all([getMyAccessOnCustomer(ctx, params.customerId!), getCustomer(ctx, params.customerId!)]);
  const roleName = roleNamer(connection?.roleDefinitions ?? []);
  return {
    customer: {
      id: customer.id,
      name: customer.name,
      isSandbox: customer.isSandbox,
      connected: connection?.status === "connected",
      consentText: customer.consentText,
      defaultDurationMinutes: customer.defaultDurationMinutes,
      maxDurationMinutes: customer.maxDurationMinutes,
    },
    accessLevels: accessLevels
      .map((l) => ({ id: l.accessLevelId, name: l.name, roleNames: l.roleTemplateIds.map(roleName), maxDurationMinutes: l.maxDurationMinutes }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
});
