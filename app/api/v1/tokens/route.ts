import { pageOf } from "@/lib/api/v1/cursor";
import { operations } from "@/lib/api/operations";
import { iso, isoRequired } from "@/lib/api/v1/schemas";
import { route } from "@/lib/http/route";
import { createToken } from "@/lib/services/tokens/create";
import { listOwnTokens } from "@/lib/services/tokens/list";

export const GET = route(operations.listTokens, async ({ ctx, query }) => {
  const { tokens } = await listOwnTokens(ctx);
  const items = tokens.map((t) => ({
    id: t.id,
    name: t.name,
    type: t.type,
    hint: t.hint,
    scopes: t.scopes,
    customerIds: t.customerIds,
    allowedCidrs: t.allowedCidrs,
    status: t.status,
    expiresAt: isoRequired(t.expiresAt),
    createdAt: isoRequired(t.createdAt),
    lastUsedAt: iso(t.lastUsedAt),
    revokedAt: iso(t.revokedAt),
  }));
  return pageOf(items, "tokens", query.cursor, query.limit);
});

/** Console sessions with a fresh step-up only: createToken refuses tokens (403) and stale sessions. */
export const POST = route(operations.createToken, async ({ ctx, rawBody }) => {
  const t = await createToken(ctx, rawBody);
  return { token: t.token, id: t.id, name: t.name, hint: t.hint, scopes: t.scopes, customerIds: t.customerIds, expiresAt: isoRequired(t.expiresAt) };
});
