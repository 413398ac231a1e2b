import { sessionRoute } from "@/lib/http/route";
import { disconnectCustomer } from "@/lib/services/connections/disconnect";

export const DELETE = sessionRoute({ permission: "customers:manage" }, async ({ ctx, params }) => {
  await disconnectCustomer(ctx, params.customerId!);
  return null;
});
