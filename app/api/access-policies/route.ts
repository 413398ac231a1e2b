import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { createAccessPolicy } from "@/lib/services/policies/create";
import { listAccessPolicies } from "@/lib/services/policies/list";

export const GET = route(operations.listAccessPolicies, async ({ ctx }) => ({ items: await listAccessPolicies(ctx) }));

export const POST = route(operations.createAccessPolicy, async ({ ctx, rawBody }) => {
  const policy = await createAccessPolicy(ctx, rawBody);
  return { id: policy.id, name: policy.name };
});
