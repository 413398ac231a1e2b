import { sessionRoute } from "@/lib/http/route";
import { addSandboxCustomer } from "@/lib/services/connections/add-sandbox-customer";

export const POST = sessionRoute({ permission: "customers:manage" }, async ({ ctx }) => {
  const customer = await addSandboxCustomer(ctx);
  return { id: customer.id, name: customer.name };
});
