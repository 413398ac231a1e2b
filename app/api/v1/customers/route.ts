import { pageOf } from "@/lib/api/v1/cursor";
import { connectionDto } from "@/lib/api/v1/mappers";
import { operations } from "@/lib/api/operations";
import { isoRequired } from "@/lib/api/v1/schemas";
import { route } from "@/lib/http/route";
import { listCustomers } from "@/lib/services/customers/list";

export const GET = route(operations.listCustomers, async ({ ctx, query }) => {
  const rows = await listCustomers(ctx);
  const items = rows.map((c) => ({ id: c.id, name: c.name, status: c.status, isSandbox: c.isSandbox, createdAt: isoRequired(c.createdAt), connection: connectionDto(c.connection) }));
  return pageOf(items, "customers", query.cursor, query.limit);
});
