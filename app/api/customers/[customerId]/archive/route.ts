import { sessionRoute } from "@/lib/http/route";
import { setCustomerArchived } from "@/lib/services/customers/archive";

export const POST = sessionRoute({ permission: "customers:manage" }, async ({ ctx, params, readJson }) => {
  await setCustomerArchived(ctx, params.customerId!, await readJson());
  return { ok: true };
});
