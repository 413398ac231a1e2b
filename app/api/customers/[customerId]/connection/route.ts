import { NextResponse } from "next/server";
import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { disconnectCustomer } from "@/lib/services/connections/disconnect";

/** 200 when the tenant is disconnected; 202 while its live grants are being ended first (it completes on its own). */
export const DELETE = route(operations.disconnectCustomer, async ({ ctx, params }) => {
  const outcome = await disconnectCustomer(ctx, params.customerId);
  return NextResponse.json(outcome, { status: outcome.status === "disconnecting" ? 202 : 200, headers: { "cache-control": "no-store" } });
});
