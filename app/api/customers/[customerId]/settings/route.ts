import { sessionRoute } from "@/lib/http/route";
import { updateCustomerSettings } from "@/lib/services/customers/update-settings";

export const PUT = sessionRoute({ permission: "customers:manage" }, async ({ ctx, params, readJson }) => {
  await updateCustomerSettings(ctx, params.customerId!, await readJson());
  return { ok: true };
});
