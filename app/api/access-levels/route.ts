import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { createAccessLevel } from "@/lib/services/access-levels/create";

export const POST = route(operations.createAccessLevel, async ({ ctx, rawBody }) => {
  const level = await createAccessLevel(ctx, rawBody);
  return { id: level.id, name: level.name };
});
