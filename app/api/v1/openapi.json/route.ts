import { NextResponse } from "next/server";
import { operations } from "@/lib/api/operations";
import { openApiDocument } from "@/lib/api/v1/openapi";
import { route } from "@/lib/http/route";

/** The OpenAPI 3.1 document; public, like any API description (it contains no data). */
export const GET = route(operations.getOpenApiDocument, async () => {
  return NextResponse.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
});
