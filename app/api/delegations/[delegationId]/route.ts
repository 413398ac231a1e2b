import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { removeDelegation } from "@/lib/services/delegations/remove";

export const DELETE = route(operations.removeDelegation, async ({ ctx, params }) => {
  await removeDelegation(ctx, params.delegationId);
  return null;
});
