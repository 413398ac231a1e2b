import { spreadsheetCsv } from "@/lib/csv";
import { recordAudit } from "./record";
import { listAuditEvents, type AuditFilterInput } from "./list";
import { withMspTx } from "@/db/tx";
import type { ServiceContext } from "@/lib/services/context";

const columns = ["seq", "occurred_at", "actor_type", "actor", "action", "target_type", "target", "result", "reason", "ip", "user_agent", "hash"];

/** CSV of the filtered events (at most 10,000 per file); the export itself is audited. */
export async function exportAuditCsv(ctx: ServiceContext, filter: AuditFilterInput): Promise<string> {
  const rows = await listAuditEvents(ctx, { ...filter, limit: 10_000 });
  await withMspTx(ctx.mspId, (tx) =>
    recordAudit(tx, ctx, { action: "audit.exported", metadata: { rows: rows.length } }),
  );
  return spreadsheetCsv(
    columns,
    rows.map((r) => [
      r.seq, r.occurredAt.toISOString(), r.actorType, r.actorLabel ?? r.actorId ?? "", r.action, r.targetType ?? "",
      r.targetLabel ?? r.targetId ?? "", r.result, r.reason ?? "", r.ip ?? "", r.userAgent ?? "", r.hash,
    ]),
  );
}
