import type { NextRequest } from "next/server";
import { apiV1Cors } from "@/lib/http/cors";
import { forwardReturnTo } from "@/lib/http/return-to";

/**
 * Next's request proxy (formerly middleware): CORS for the extension's calls to /api/v1, and for pages
 * their own address, so sign-in can return to it. Nothing else.
 */
export function proxy(req: NextRequest) {
  return req.nextUrl.pathname.startsWith("/api/") ? apiV1Cors(req) : forwardReturnTo(req);
}

export const config = { matcher: ["/api/v1/:path*", "/((?!api/|_next/|favicon.ico).*)"] };
