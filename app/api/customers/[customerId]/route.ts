import { sessionRoute } from "@/lib/http/route";
import { renameCustomer } from "@/lib/services/customers/rename";

export const PATCH = sessionRoute({ permission: "customers:manage" }, async ({ ctx, params, readJson }) => {
  await renameCustomer(ctx, params.customerId!, await readJson());
  return { ok: true };
});
