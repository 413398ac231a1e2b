import { NextResponse } from "next/server";
import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { exportGrantsCsv } from "@/lib/services/grants/export-csv";

export const GET = route(operations.exportGrants, async ({ query, ctx }) => {
  const csv = await exportGrantsCsv(ctx, query);
  const stamp = new Date().toISOString().slice(0, 10);
  return new NextResponse(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="stint-grants-${query.scope}-${stamp}.csv"`,
      "cache-control": "no-store",
    },
  });
});
