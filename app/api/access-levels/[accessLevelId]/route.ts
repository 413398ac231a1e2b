import { sessionRoute } from "@/lib/http/route";
import { archiveAccessLevel } from "@/lib/services/access-levels/archive";
import { updateAccessLevel } from "@/lib/services/access-levels/update";

export const PUT = sessionRoute({ permission: "access_levels:manage" }, async ({ ctx, params, readJson }) => {
  await updateAccessLevel(ctx, params.accessLevelId!, await readJson());
  return { ok: true };
});

export const DELETE = sessionRoute({ permission: "access_levels:manage" }, async ({ ctx, params }) => {
  await archiveAccessLevel(ctx, params.accessLevelId!);
  return null;
});
