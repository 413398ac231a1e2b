import { NextResponse } from "next/server";
import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { renderStatementPdf } from "@/lib/reports/statement-pdf";
import { readMonthlyStatement } from "@/lib/services/reports/monthly-statement";

export const GET = route(operations.getCustomerStatementPdf, async ({ ctx, params, query }) => {
  const statement = await readMonthlyStatement(ctx, params.customerId, query);
  const pdf = await renderStatementPdf(statement);
  return new NextResponse(new Uint8Array(pdf), {
    headers: {
      "content-type": "application/pdf",
      "content-disposition": `attachment; filename="stint-statement-${statement.customer.id}-${statement.month.month}.pdf"`,
      "cache-control": "no-store",
    },
  });
});
