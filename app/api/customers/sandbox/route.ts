import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { addSandboxCustomer } from "@/lib/services/connections/add-sandbox-customer";

export const POST = route(operations.addSandboxCustomer, async ({ ctx }) => {
  const customer = await addSandboxCustomer(ctx);
  return { id: customer.id, name: customer.name };
});
