import { sessionRoute } from "@/lib/http/route";
import { setAccessLevelForCustomer } from "@/lib/services/access-levels/enable-for-customer";

export const PUT = sessionRoute({ permission: "access_levels:manage" }, async ({ ctx, params, readJson }) => {
  await setAccessLevelForCustomer(ctx, params.customerId!, params.accessLevelId!, await readJson());
  return { ok: true };
});
