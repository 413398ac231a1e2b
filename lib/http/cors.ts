import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { isAllowedExtensionOrigin } from "@/lib/extension/origins";

/**
 * CORS for /api/v1, in one place (proxy.ts runs it before every v1 route, so no route can forget it).
 * Only the browser extension's origin is ever allowed (EXTENSION_ORIGINS pins it); the answer never
 * allows credentials, so a cross-origin caller authenticates with its bearer token and the console's
 * cookie never rides along. Cookie-authenticated writes still need the app's own Origin (lib/http).
 */
export const CORS_PREFLIGHT_HEADERS = {
  "Access-Control-Allow-Methods": "GET, POST, DELETE",
  "Access-Control-Allow-Headers": "Authorization, Content-Type, Idempotency-Key",
  "Access-Control-Max-Age": "600",
} as const;

/** Readable by the extension: when to retry (429) and whether an Idempotency-Key answer was replayed. */
const EXPOSED = "Retry-After, Idempotent-Replayed";

function allowedOrigin(req: NextRequest): string | null {
  const origin = req.headers.get("origin");
  return isAllowedExtensionOrigin(origin, env.EXTENSION_ORIGINS) ? origin : null;
}

/** Preflights are answered here (204); anything else continues to its route with the CORS headers added. */
export function apiV1Cors(req: NextRequest): NextResponse {
  const origin = allowedOrigin(req);
  const res = req.method === "OPTIONS" ? new NextResponse(null, { status: 204 }) : NextResponse.next();
  // The answer depends on Origin whatever it is, so caches must key on it.
  res.headers.set("Vary", "Origin");
  if (!origin) return res;
  res.headers.set("Access-Control-Allow-Origin", origin);
  if (req.method === "OPTIONS") for (const [k, v] of Object.entries(CORS_PREFLIGHT_HEADERS)) res.headers.set(k, v);
  else res.headers.set("Access-Control-Expose-Headers", EXPOSED);
  return res;
}
