import type { NextRequest } from "next/server";
import { apiV1Cors } from "@/lib/http/cors";

/** Next's request proxy (formerly middleware): CORS for the extension's calls to /api/v1, nothing else. */
export function proxy(req: NextRequest) {
  return apiV1Cors(req);
}

export const config = { matcher: "/api/v1/:path*" };
