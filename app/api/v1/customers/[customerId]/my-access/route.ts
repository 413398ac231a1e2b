import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { getMyAccessOnCustomer } from "@/lib/services/delegations/my-access";

export const GET = route(operations.getMyAccess, async ({ ctx, params }) => {
  const access = await getMyAccessOnCustomer(ctx, params.customerId);
  return { customerId: access.customer.id, accessLevels: access.accessLevels };
});
