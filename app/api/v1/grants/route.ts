import { decodeCursor, encodeCursor } from "@/lib/api/v1/cursor";
import { grantDto } from "@/lib/api/v1/mappers";
import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { labelGrant } from "@/lib/services/grants/label";
import { AppError } from "@/lib/errors";
import { hasPermission } from "@/lib/services/context";
import { listAllGrants, listMyGrants } from "@/lib/services/grants/list";
import { requestGrant } from "@/lib/services/grants/request";

/** The grant services order by attention and cap at 500 rows; pages are offsets into that window. */
const WINDOW = 500;

export const GET = route(operations.listGrants, async ({ ctx, query }) => {
  const offset = decodeCursor(query.cursor, "grants")?.o ?? 0;
  if (offset >= WINDOW) throw new AppError("validation_failed", `cursor: lists end after ${WINDOW} grants; narrow with state or customerId.`, { field: "cursor" });
  const filter = { customerId: query.customerId, memberId: query.memberId, state: query.state, scope: query.scope, q: query.q, limit: Math.min(WINDOW, offset + query.limit + 1) };
  // Everything the caller may see unless they ask for their own: the MSP's grants for those who see all.
  const everyone = query.mine !== "true" && hasPermission(ctx, "grants:read_all");
  const rows = everyone ? await listAllGrants(ctx, filter) : await listMyGrants(ctx, filter);
  const items = rows.slice(offset, offset + query.limit).map(grantDto);
  const more = rows.length > offset + query.limit && offset + query.limit < WINDOW;
  return { items, nextCursor: more ? encodeCursor({ k: "grants", o: offset + query.limit }) : null };
});

export const POST = route(operations.requestGrant, async ({ ctx, rawBody }) => grantDto(await labelGrant(ctx, await requestGrant(ctx, rawBody))));
