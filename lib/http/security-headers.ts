import type { ServerResponse } from "node:http";
import { env, isHttps } from "@/lib/env";

/**
 * Headers every response carries, set by the web server before Next answers (scripts/web-server.ts),
 * so static files and Next's own error answers have them too:
 *  - nosniff: a JSON or text answer is never run as a script or styled as CSS;
 *  - strict-origin-when-cross-origin, not no-referrer: with no-referrer browsers send `Origin: null` on
 *    same-origin POSTs, which the console's same-origin check would refuse;
 *  - X-Frame-Options for browsers without CSP frame-ancestors;
 *  - HSTS when the console is served over https (APP_URL).
 */
export function securityHeaders(https = isHttps): Record<string, string> {
  return {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    ...(https ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

export function applySecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(securityHeaders())) res.setHeader(name, value);
}

/** 128 random bits for one response's scripts (the CSP nonce). */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

/**
 * The pages' Content-Security-Policy (proxy.ts sets it per request). Next reads the nonce from this
 * header while rendering and puts it on its own scripts; 'strict-dynamic' lets those load the chunks they
 * import, and nothing else runs: no inline script without the nonce, no other origin. Development adds
 * 'unsafe-eval' (React rebuilds server error stacks with eval) and inline styles (the error overlay).
 */
export function pageCsp(nonce: string, options: { dev?: boolean; https?: boolean } = {}): string {
  const dev = options.dev ?? env.NODE_ENV === "development";
  const https = options.https ?? isHttps;
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' ${dev ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** Route handlers' answers are data, never a document: nothing may load from them or frame them. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";
