import { operations } from "@/lib/api/v1/operations";
import { apiRoute } from "@/lib/http/api-route";
import { getMyAccessOnCustomer } from "@/lib/services/delegations/my-access";

export const GET = apiRoute(operations.getMyAccess, async ({ ctx, params }) => {
  const access = await getMyAccessOnCustomer(ctx, params.customerId);
  return { customerId: access.customer.id, accessLevels: access.accessLevels };
});
