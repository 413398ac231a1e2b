import { pageOf } from "@/lib/api/v1/cursor";
import { operations } from "@/lib/api/operations";
import { isoRequired } from "@/lib/api/v1/schemas";
import { route } from "@/lib/http/route";
import { listMembers } from "@/lib/services/members/list";

export const GET = route(operations.listMembers, async ({ ctx, query }) => {
  const rows = await listMembers(ctx, { q: query.q });
  const items = rows.map((m) => ({ id: m.id, name: m.displayName, email: m.email, role: m.role, status: m.status, passkeys: m.passkeyCount, createdAt: isoRequired(m.createdAt) }));
  return pageOf(items, "members", query.cursor, query.limit);
});
