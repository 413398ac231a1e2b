import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { setCustomerArchived } from "@/lib/services/customers/archive";

export const POST = route(operations.archiveCustomer, async ({ ctx, params, rawBody }) => {
  await setCustomerArchived(ctx, params.customerId, rawBody);
  return null;
});
