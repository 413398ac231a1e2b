import { sessionRoute } from "@/lib/http/route";
import { createAccessLevel } from "@/lib/services/access-levels/create";

export const POST = sessionRoute({ permission: "access_levels:manage" }, async ({ ctx, readJson }) => {
  const level = await createAccessLevel(ctx, await readJson());
  return { id: level.id, name: level.name };
});
