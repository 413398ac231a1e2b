import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { renameCustomer } from "@/lib/services/customers/rename";

export const PATCH = route(operations.renameCustomer, async ({ ctx, params, rawBody }) => {
  await renameCustomer(ctx, params.customerId, rawBody);
  return null;
});
