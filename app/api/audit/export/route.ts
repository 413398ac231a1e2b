import { NextResponse } from "next/server";
import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { exportAuditCsv } from "@/lib/services/audit/export-csv";

export const GET = route(operations.exportAuditEvents, async ({ query, ctx }) => {
  const csv = await exportAuditCsv(ctx, query);
  const stamp = new Date().toISOString().slice(0, 10);
  return new NextResponse(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="stint-audit-${stamp}.csv"`,
      "cache-control": "no-store",
    },
  });
});
