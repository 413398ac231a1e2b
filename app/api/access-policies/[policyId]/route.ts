import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { removeAccessPolicy } from "@/lib/services/policies/remove";
import { updateAccessPolicy } from "@/lib/services/policies/update";

export const PUT = route(operations.updateAccessPolicy, async ({ ctx, params, rawBody }) => {
  await updateAccessPolicy(ctx, params.policyId, rawBody);
  return null;
});

export const DELETE = route(operations.removeAccessPolicy, async ({ ctx, params }) => {
  await removeAccessPolicy(ctx, params.policyId);
  return null;
});
