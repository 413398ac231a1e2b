import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { archiveAccessLevel } from "@/lib/services/access-levels/archive";
import { updateAccessLevel } from "@/lib/services/access-levels/update";

export const PUT = route(operations.updateAccessLevel, async ({ ctx, params, rawBody }) => {
  await updateAccessLevel(ctx, params.accessLevelId, rawBody);
  return null;
});

export const DELETE = route(operations.archiveAccessLevel, async ({ ctx, params }) => {
  await archiveAccessLevel(ctx, params.accessLevelId);
  return null;
});
