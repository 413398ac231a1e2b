import { sessionRoute } from "@/lib/http/route";
import { createCustomer } from "@/lib/services/customers/create";

export const POST = sessionRoute({ permission: "customers:manage" }, async ({ ctx, readJson }) => {
  const customer = await createCustomer(ctx, await readJson());
  return { id: customer.id, name: customer.name };
});
