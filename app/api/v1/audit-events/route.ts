import { decodeCursor, encodeCursor } from "@/lib/api/v1/cursor";
import { operations } from "@/lib/api/operations";
import { isoRequired } from "@/lib/api/v1/schemas";
import { route } from "@/lib/http/route";
import { listAuditEvents } from "@/lib/services/audit/list";

/** Keyset pages down the chain: the cursor holds the last seq seen. */
export const GET = route(operations.listAuditEvents, async ({ ctx, query }) => {
  const before = decodeCursor(query.cursor, "audit")?.s;
  const rows = await listAuditEvents(ctx, { action: query.action, actor: query.actor, result: query.result, text: query.text, from: query.from, to: query.to, beforeSeq: before, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const items = page.map((e) => ({
    id: e.id,
    seq: e.seq,
    occurredAt: isoRequired(e.occurredAt),
    actorType: e.actorType,
    actorId: e.actorId,
    actorLabel: e.actorLabel,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    targetLabel: e.targetLabel,
    result: e.result,
    reason: e.reason,
    ip: e.ip,
    metadata: e.metadata,
  }));
  return { items, nextCursor: rows.length > query.limit ? encodeCursor({ k: "audit", s: page.at(-1)!.seq }) : null };
});
