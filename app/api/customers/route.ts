import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { createCustomer } from "@/lib/services/customers/create";

export const POST = route(operations.createCustomer, async ({ ctx, rawBody }) => {
  const customer = await createCustomer(ctx, rawBody);
  return { id: customer.id, name: customer.name };
});
