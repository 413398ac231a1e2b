import type { RequestInfo } from "@/lib/services/context";

/**
 * Client address and user agent for audit. `next start` appends the socket address to
 * X-Forwarded-For, so the last entry is the peer that reached us; anything before it is client-supplied.
 */
export function requestInfoFrom(headers: Headers): RequestInfo {
  const forwarded = headers.get("x-forwarded-for");
  const ip = forwarded ? forwarded.split(",").at(-1)!.trim() : null;
  return { ip: ip || null, userAgent: headers.get("user-agent")?.slice(0, 500) ?? null };
}
