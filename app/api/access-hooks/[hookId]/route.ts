import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { removeAccessHook } from "@/lib/services/hooks/remove";
import { updateAccessHook } from "@/lib/services/hooks/update";

export const PATCH = route(operations.updateAccessHook, async ({ ctx, params, rawBody }) => updateAccessHook(ctx, params.hookId, rawBody));

export const DELETE = route(operations.removeAccessHook, async ({ ctx, params }) => {
  await removeAccessHook(ctx, params.hookId);
  return null;
});
