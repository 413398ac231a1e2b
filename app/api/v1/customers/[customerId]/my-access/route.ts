import { roleNamer } from "@/lib/entra/role-names";
import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { getCustomer } from "@/lib/services/customers/get";
import { getMyAccessOnCustomer } from "@/lib/services/delegations/my-access";

/** What the caller may request on one customer, with the customer's limits and terms: the request form reads it. */
export const GET = route(operations.getMyAccess, async ({ ctx, params }) => {
  const [{ customer, accessLevels }, { connection }] = await Promise.all([getMyAccessOnCustomer(ctx, params.customerId), getCustomer(ctx, params.customerId)]);
  const roleName = roleNamer(connection?.roleDefinitions ?? []);
  return {
    customerId: customer.id,
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
      .map((l) => ({ accessLevelId: l.accessLevelId, name: l.name, roleTemplateIds: l.roleTemplateIds, roleNames: l.roleTemplateIds.map(roleName), maxDurationMinutes: l.maxDurationMinutes }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
});
