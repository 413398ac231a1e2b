import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { serverSubkey } from "@/lib/crypto/server-key";

/**
 * One-time launch tickets: the browser extension's way to a credential at the moment of
 * filling. A ticket is `<base64url(JSON claims)>.<base64url(HMAC-SHA256)>`, bound to one grant, member
 * and extension token, valid at most 60 s. Signing only proves the ticket is Stint's and unchanged;
 * single use is enforced by the accepted_tickets table (lib/services/tickets/redeem-launch-ticket.ts).
 */
export const LAUNCH_TICKET_TTL_SECONDS = 60;
/** Clock skew tolerated on `iat` between instances. */
const MAX_SKEW_SECONDS = 5;
/** Far more than a real ticket (~400 characters): anything longer is refused before any work. */
const MAX_TICKET_LENGTH = 2048;
const HKDF_INFO = "stint launch ticket v1";

export const launchTicketClaims = z
  .object({
    jti: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
    mspId: z.string().min(1).max(64),
    grantId: z.string().min(1).max(64),
    memberId: z.string().min(1).max(64),
    tokenId: z.string().min(1).max(64),
    iat: z.number().int().nonnegative(),
    exp: z.number().int().nonnegative(),
    typ: z.string(),
  })
  .strict();
export type LaunchTicketClaims = z.infer<typeof launchTicketClaims> & { typ: "launch" };

export type LaunchTicketRefusal = "malformed" | "bad_signature" | "wrong_type" | "expired";
export type VerifiedTicket = { ok: true; claims: LaunchTicketClaims } | { ok: false; reason: LaunchTicketRefusal };

/**
 * Signed under a key of its own (lib/crypto/server-key.ts); rotating its source only voids tickets younger
 * than a minute.
 */
function sign(payload: string): Buffer {
  return createHmac("sha256", serverSubkey(HKDF_INFO)).update(payload, "ascii").digest();
}

export type LaunchTicketBinding = { mspId: string; grantId: string; memberId: string; tokenId: string };

/** A new signed ticket for this binding, valid `ttlSeconds` (at most 60). */
export function issueLaunchTicket(
  binding: LaunchTicketBinding,
  options: { now?: Date; ttlSeconds?: number } = {},
): { ticket: string; claims: LaunchTicketClaims; expiresAt: Date } {
  const ttl = Math.min(options.ttlSeconds ?? LAUNCH_TICKET_TTL_SECONDS, LAUNCH_TICKET_TTL_SECONDS);
  if (!(ttl > 0)) throw new Error("A launch ticket needs a positive lifetime.");
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const claims: LaunchTicketClaims = {
    // 128 random bits: the ticket's identity in accepted_tickets.
    jti: randomBytes(16).toString("base64url"),
    mspId: binding.mspId,
    grantId: binding.grantId,
    memberId: binding.memberId,
    tokenId: binding.tokenId,
    iat,
    exp: iat + Math.floor(ttl),
    typ: "launch",
  };
  const payload = Buffer.from(JSON.stringify(claims), "utf8").toString("base64url");
  return { ticket: `${payload}.${sign(payload).toString("base64url")}`, claims, expiresAt: new Date(claims.exp * 1000) };
}

const base64url = /^[A-Za-z0-9_-]+$/;

/**
 * Checks, in this order: shape, signature (constant time, before anything in the payload is trusted),
 * claims shape, `typ`, then lifetime (`exp` in the future, `exp - iat` ≤ 60 s, `iat` not ahead of the clock).
 * Says nothing about single use: that is the accepted_tickets insert.
 */
export function verifyLaunchTicket(ticket: unknown, options: { now?: Date } = {}): VerifiedTicket {
  if (typeof ticket !== "string" || ticket.length > MAX_TICKET_LENGTH) return { ok: false, reason: "malformed" };
  const parts = ticket.split(".");
  if (parts.length !== 2 || !base64url.test(parts[0]!) || !base64url.test(parts[1]!)) return { ok: false, reason: "malformed" };
  const [payload, signature] = parts as [string, string];
  const presented = Buffer.from(signature, "base64url");
  const expected = sign(payload);
  // Compare equal-length buffers only (timingSafeEqual throws otherwise); the length of a MAC is public.
  if (presented.length !== expected.length || presented.toString("base64url") !== signature || !timingSafeEqual(presented, expected)) {
    return { ok: false, reason: "bad_signature" };
  }
  let parsed: z.infer<typeof launchTicketClaims>;
  try {
    const result = launchTicketClaims.safeParse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
    if (!result.success) return { ok: false, reason: "malformed" };
    parsed = result.data;
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (parsed.typ !== "launch") return { ok: false, reason: "wrong_type" };
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (parsed.exp <= now || parsed.exp - parsed.iat > LAUNCH_TICKET_TTL_SECONDS || parsed.exp <= parsed.iat || parsed.iat > now + MAX_SKEW_SECONDS) {
    return { ok: false, reason: "expired" };
  }
  return { ok: true, claims: parsed as LaunchTicketClaims };
}
