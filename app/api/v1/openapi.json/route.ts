import { NextResponse } from "next/server";
import { openApiDocument } from "@/lib/api/v1/openapi";

/** The OpenAPI 3.1 document; public, like any API description (it contains no data). */
export function GET() {
  return NextResponse.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
}
