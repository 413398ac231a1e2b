import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { setAccessLevelForCustomer } from "@/lib/services/access-levels/enable-for-customer";

export const PUT = route(operations.setCustomerAccessLevel, async ({ ctx, params, rawBody }) => {
  await setAccessLevelForCustomer(ctx, params.customerId, params.accessLevelId, rawBody);
  return null;
});
