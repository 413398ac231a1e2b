import { NextResponse, type NextRequest } from "next/server";
import { apiV1Cors } from "@/lib/http/cors";
import { RETURN_TO_HEADER } from "@/lib/http/return-to";
import { API_CSP, newNonce, pageCsp } from "@/lib/http/security-headers";

/**
 * Next's request proxy (formerly middleware), in front of everything but the build's own files:
 *  - pages get a Content-Security-Policy with a fresh nonce, set on the request too, where Next reads it
 *    and puts it on its own scripts while rendering; and their own address, so sign-in can return to it;
 *  - /api/v1 gets CORS for the browser extension (lib/http/cors.ts);
 *  - every route handler's answer a CSP that lets nothing load from or frame it.
 * The headers every response carries, and refusals of what Next cannot parse, are the web server's
 * (scripts/web-server.ts).
 */
export function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  if (pathname.startsWith("/api/")) {
    const res = pathname.startsWith("/api/v1/") ? apiV1Cors(req) : NextResponse.next();
    res.headers.set("Content-Security-Policy", API_CSP);
    return res;
  }
  const csp = pageCsp(newNonce());
  const headers = new Headers(req.headers);
  headers.set("Content-Security-Policy", csp);
  // A forged copy is harmless: it is only ever a redirect target, checked by safeReturnTo.
  headers.set(RETURN_TO_HEADER, `${pathname}${search}`);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("Content-Security-Policy", csp);
  return res;
}

export const config = { matcher: ["/((?!_next/|favicon.ico).*)"] };
