import { isIP } from "node:net";
import type { IncomingMessage } from "node:http";
import { ipInCidrs } from "../tokens/cidr";
import { normaliseCidr } from "../tokens/cidr-format";

/**
 * The request header in which the web server (scripts/web-server.ts) hands the client's address to the
 * app. It is the only source request-info.ts reads; any copy a client sends is removed first.
 */
export const CLIENT_ADDRESS_HEADER = "x-stint-client-address";

/** Proxies in front of the web server whose X-Forwarded-For is believed: by address, or by count. */
export type TrustedProxies = { cidrs: readonly string[] } | { hops: number } | null;

const MAX_HOPS = 10;

/**
 * TRUSTED_PROXIES: unset or empty (trust nobody: the socket's peer is the client), a hop count ("1": one
 * proxy in front, whatever its address), or comma-separated addresses and CIDR blocks of the proxies.
 * Returns a problem to report instead when the text is none of these.
 */
export function parseTrustedProxies(text: string | undefined): TrustedProxies | { problem: string } {
  const value = text?.trim() ?? "";
  if (value === "") return null;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops < 1 || hops > MAX_HOPS) return { problem: `a hop count must be 1–${MAX_HOPS}` };
    return { hops };
  }
  const cidrs: string[] = [];
  for (const entry of value.split(",")) {
    const cidr = normaliseCidr(entry);
    if (!cidr) return { problem: `"${entry.trim()}" is not an IP address or CIDR block (or give a hop count)` };
    cidrs.push(cidr);
  }
  return { cidrs };
}

/** An IPv4 address written as IPv6 (::ffff:203.0.113.7, as dual-stack sockets report it) becomes plain IPv4. */
function plain(address: string): string {
  const m = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return m ? m[1]! : address;
}

/**
 * The client's address: the socket's peer, unless that peer is a trusted proxy; then X-Forwarded-For is
 * read right to left (each proxy appends the address it was reached from), skipping trusted hops, and the
 * first address not vouched for is the client. What a client wrote further left is never reached. An
 * entry that is not an address stops the walk at the last proxy that was trusted.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | undefined, trusted: TrustedProxies): string | null {
  if (!peer || isIP(plain(peer)) === 0) return null;
  let current = plain(peer);
  if (!trusted) return current;
  const isTrusted = (address: string, hop: number) => ("hops" in trusted ? hop < trusted.hops : ipInCidrs(address, trusted.cidrs));
  const chain = (forwardedFor ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .reverse();
  for (let hop = 0; hop < chain.length && isTrusted(current, hop); hop++) {
    const next = plain(chain[hop]!);
    if (isIP(next) === 0) break;
    current = next;
  }
  return current;
}

/**
 * Sets the client-address header on an incoming request, replacing anything the client sent under that
 * name. Runs in the web server before Next sees the request, where the socket is still at hand.
 */
export function stampClientAddress(req: IncomingMessage, trusted: TrustedProxies): void {
  const forwarded = req.headers["x-forwarded-for"];
  const address = clientAddress(req.socket.remoteAddress, Array.isArray(forwarded) ? forwarded.join(",") : forwarded, trusted);
  delete req.headers[CLIENT_ADDRESS_HEADER];
  for (let i = req.rawHeaders.length - 2; i >= 0; i -= 2) {
    if (req.rawHeaders[i]!.toLowerCase() === CLIENT_ADDRESS_HEADER) req.rawHeaders.splice(i, 2);
  }
  if (address) {
    req.headers[CLIENT_ADDRESS_HEADER] = address;
    req.rawHeaders.push(CLIENT_ADDRESS_HEADER, address);
  }
}
