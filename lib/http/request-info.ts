import type { RequestInfo } from "@/lib/services/context";
import { CLIENT_ADDRESS_HEADER } from "./client-address";

/**
 * Client address and user agent for audit, limits and allow-lists. The address is only ever the one
 * the web server determined from the socket (and trusted proxies) and set in its own header, never
 * X-Forwarded-For as a client sent it.
 */
export function requestInfoFrom(headers: Headers): RequestInfo {
  return { ip: headers.get(CLIENT_ADDRESS_HEADER) || null, userAgent: headers.get("user-agent")?.slice(0, 500) ?? null };
}
