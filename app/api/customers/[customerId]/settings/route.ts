import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { updateCustomerSettings } from "@/lib/services/customers/update-settings";

export const PUT = route(operations.updateCustomerSettings, async ({ ctx, params, rawBody }) => {
  await updateCustomerSettings(ctx, params.customerId, rawBody);
  return null;
});
