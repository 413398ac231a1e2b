import { sessionRoute } from "@/lib/http/route";
import { createDelegation } from "@/lib/services/delegations/create";

export const POST = sessionRoute({ permission: "delegations:manage" }, async ({ ctx, readJson }) => {
  return createDelegation(ctx, await readJson());
});
