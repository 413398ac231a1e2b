import { spreadsheetCsv } from "@/lib/csv";
import { withMspTx } from "@/db/tx";
import { recordAudit } from "@/lib/services/audit/record";
import type { ServiceContext } from "@/lib/services/context";
import { listAllGrantsForExport } from "./list";

const columns = [
  "grant_id", "state", "customer_id", "customer", "sandbox", "technician_id", "technician", "account", "access_levels", "role_template_ids",
  "justification", "ticket", "requested_at", "start_at", "usable_from", "ends_at", "usable_to", "planned_minutes", "actual_minutes",
  "end_reason", "failure_reason",
];

const iso = (d: Date | null) => d?.toISOString() ?? "";

/**
 * The grants the Grants page's filters select (customer, technician, state, live or history, at most
 * GRANT_EXPORT_LIMIT), one row each, with planned minutes (asked plus extensions) and actual minutes of
 * exposure (usable from, until removal was verified; empty while live). The export itself is audited.
 */
export async function exportGrantsCsv(ctx: ServiceContext, filter: unknown): Promise<string> {
  const rows = await listAllGrantsForExport(ctx, filter);
  await withMspTx(ctx.mspId, (tx) => recordAudit(tx, ctx, { action: "grants.exported", metadata: { rows: rows.length, filter: filter as Record<string, unknown> } }));
  return spreadsheetCsv(
    columns,
    rows.map((g) => [
      g.id, g.state, g.customerId, g.customerName, g.isSandbox ? "yes" : "no", g.memberId, g.memberName, g.upn, g.accessLevels.map((l) => l.name).join("; "),
      g.roleTemplateIds.join("; "), g.justification, g.ticketRef ?? "", iso(g.createdAt), iso(g.startAt), iso(g.usableFrom), iso(g.endsAt), iso(g.usableTo),
      g.durationMinutes + g.extendedMinutes, g.usableFrom && g.usableTo ? Math.round((g.usableTo.getTime() - g.usableFrom.getTime()) / 60_000) : "",
      g.endReason ?? "", g.failureReason ?? "",
    ]),
  );
}
