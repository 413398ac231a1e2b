import { sessionRoute } from "@/lib/http/route";
import { removeDelegation } from "@/lib/services/delegations/remove";

export const DELETE = sessionRoute({ permission: "delegations:manage" }, async ({ ctx, params }) => {
  await removeDelegation(ctx, params.delegationId!);
  return null;
});
