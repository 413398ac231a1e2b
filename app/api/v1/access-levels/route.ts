import { pageOf } from "@/lib/api/v1/cursor";
import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { listAccessLevels } from "@/lib/services/access-levels/list";

export const GET = route(operations.listAccessLevels, async ({ ctx, query }) => {
  const rows = await listAccessLevels(ctx);
  // A token limited to some customers sees only those customers' ids on each level.
  const only = ctx.actor.type === "token" ? ctx.actor.customerIds : null;
  const items = rows.map((l) => ({ ...l, customerIds: only ? l.customerIds.filter((id) => only.includes(id)) : l.customerIds }));
  return pageOf(items, "access-levels", query.cursor, query.limit);
});
