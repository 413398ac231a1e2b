import { and, eq, isNull, lt, or } from "drizzle-orm";
import { apiTokens } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";
import { AppError } from "@/lib/errors";
import { assertUnderRateLimit, rateLimit } from "@/lib/http/rate-limit";
import { logger } from "@/lib/logger";
import { recordAudit } from "@/lib/services/audit/record";
import type { RequestInfo, ServiceContext, TokenActor } from "@/lib/services/context";
import { ipInCidrs } from "@/lib/tokens/cidr";
import { safeEqualText, tokenDigest } from "@/lib/tokens/digest";
import { findTokens, parseToken, tokenHint } from "@/lib/tokens/format";
import { tokenTypes, type TokenType } from "@/lib/vocabulary/token-types";
import { findTokenByValue, padToFloor } from "./internal";

/** A ServiceContext for a member acting through a token, plus what an API may tell the caller about the token. */
export type TokenPrincipal = ServiceContext & {
  actor: TokenActor;
  token: { id: string; name: string; type: TokenType; expiresAt: Date };
};

/**
 * Failed attempts allowed per window, by client address and by presented token (its whole digest: the
 * public hint, prefix and last four, is shared by every forged token with a matching checksum, so keying
 * on it would let anyone lock the hint's owner out). Only failures count; once a key is used up every
 * attempt is refused with 429, a valid token too, so a guesser cannot tell a hit from the block.
 */
export const TOKEN_AUTH_LIMITS = {
  ip: { name: "token-auth-ip", points: 20, durationSeconds: 300 },
  token: { name: "token-auth-token", points: 10, durationSeconds: 300 },
} as const;

/**
 * Refusals take at least this long. Unknown, expired, revoked, owner-disabled, wrong-username and
 * wrong-address tokens all run the same digest lookup, but a known token's refusal also writes an audit
 * event in its MSP (a chained insert under an advisory lock) and an unknown one only logs: a floor well
 * above that work hides the difference, where dummy operations could only imitate a write's latency.
 * It also slows a guesser down a little. Successes are not padded.
 */
export const FAILURE_FLOOR_MS = 150;

/** last_used_at / last_used_ip are written at most this often, not on every request. */
export const TOUCH_EVERY_MS = 5 * 60_000;

const REFUSED = "The access token is invalid, expired or revoked, or the username does not match.";

type Presented = { token: string; username: string | null };

/** `Bearer <token>` or `Basic base64(username:token)`; anything else is nothing. */
function credentialsFrom(authorization: string | null | undefined): Presented | null {
  if (!authorization || authorization.length > 1024) return null;
  const m = /^\s*([A-Za-z]+)\s+(\S+)\s*$/.exec(authorization);
  if (!m) return null;
  const scheme = m[1]!.toLowerCase();
  if (scheme === "bearer") return { token: m[2]!, username: null };
  if (scheme !== "basic" || !/^[A-Za-z0-9+/]+={0,2}$/.test(m[2]!)) return null;
  const decoded = Buffer.from(m[2]!, "base64").toString("utf8");
  // The token has no ":"; an email address might, so the last one separates them.
  const at = decoded.lastIndexOf(":");
  if (at < 0) return null;
  return { username: decoded.slice(0, at).trim().toLowerCase(), token: decoded.slice(at + 1) };
}

type Refusal = "malformed" | "wrong_type" | "unknown" | "revoked" | "expired" | "owner_disabled" | "wrong_username" | "ip_not_allowed";

type Presenter = { ip: string; token: { digest: string; hint: string } | null };

async function refuse(started: number, keys: Presenter, log: Record<string, unknown>): Promise<never> {
  const { ip, token } = TOKEN_AUTH_LIMITS;
  const counted = await Promise.allSettled([
    rateLimit(ip.name, keys.ip, ip.points, ip.durationSeconds),
    keys.token ? rateLimit(token.name, keys.token.digest, token.points, token.durationSeconds) : Promise.resolve(),
  ]);
  logger.info({ ...log, ip: keys.ip, tokenHint: keys.token?.hint ?? null }, "access token refused");
  await padToFloor(started, FAILURE_FLOOR_MS);
  const limited = counted.find((c): c is PromiseRejectedResult => c.status === "rejected");
  throw limited ? limited.reason : new AppError("unauthorized", REFUSED);
}

/**
 * Authenticates an API request by its Authorization header (never from a URL). Garbage fails the
 * checksum and is refused without touching the database; a well-formed token is looked up by digest in
 * a system transaction, and every way of being wrong gets the same 401 after the same floor. Known
 * tokens' refusals are audited in their MSP. On success the context carries the owner's *current*
 * role, so a token never grants more than its owner has now.
 */
export async function authenticateToken(
  authorization: string | null | undefined,
  request: RequestInfo & { url?: string },
  options: { accept?: readonly TokenType[]; now?: Date } = {},
): Promise<TokenPrincipal> {
  const started = performance.now();
  const now = options.now ?? new Date();
  const info: RequestInfo = { ip: request.ip, userAgent: request.userAgent };
  const ipKey = request.ip ?? "unknown";
  const { ip: ipLimit, token: tokenLimit } = TOKEN_AUTH_LIMITS;
  await assertUnderRateLimit(ipLimit.name, ipKey, ipLimit.points, ipLimit.durationSeconds);
  if (request.url && findTokens(request.url).length > 0) {
    throw new AppError("bad_request", "Send the access token in the Authorization header, never in the URL.");
  }

  const presented = credentialsFrom(authorization);
  const parsed = presented ? parseToken(presented.token) : null;
  if (!presented || !parsed) return refuse(started, { ip: ipKey, token: null }, { reason: "malformed" satisfies Refusal });
  const digest = tokenDigest(presented.token);
  const presenter: Presenter = { ip: ipKey, token: { digest, hint: tokenHint(presented.token) } };
  await assertUnderRateLimit(tokenLimit.name, digest, tokenLimit.points, tokenLimit.durationSeconds);
  if (!(options.accept ?? tokenTypes).includes(parsed.type)) {
    return refuse(started, presenter, { reason: "wrong_type" satisfies Refusal });
  }

  // The token is all the request carries: its row names the MSP.
  const outcome = await systemTxBypassingRls(async (tx) => {
    const found = await findTokenByValue(tx, presented.token);
    // The username is compared even when there is nothing to compare it with, for symmetry.
    const usernameOk = presented.username === null || safeEqualText(presented.username, found?.owner.email ?? presented.username);
    let reason: Refusal | null = null;
    if (!found) reason = "unknown";
    else if (found.token.revokedAt) reason = "revoked";
    else if (found.token.expiresAt <= now) reason = "expired";
    else if (found.owner.status !== "active") reason = "owner_disabled";
    else if (!usernameOk) reason = "wrong_username";
    else if (found.token.allowedCidrs && !ipInCidrs(request.ip, found.token.allowedCidrs)) reason = "ip_not_allowed";
    if (!found) return { refused: reason!, mspId: null };
    const { token, owner } = found;
    if (reason) {
      await recordAudit(
        tx,
        { mspId: token.mspId, actor: { type: "anonymous", label: `token ${token.hint}` }, request: info, steppedUpAt: null },
        { action: "token.auth_failed", result: "failure", reason, target: { type: "token", id: token.id, label: token.name }, metadata: { owner: token.memberId } },
      );
      return { refused: reason, mspId: token.mspId };
    }
    if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() >= TOUCH_EVERY_MS) {
      const stale = new Date(now.getTime() - TOUCH_EVERY_MS);
      await tx
        .update(apiTokens)
        .set({ lastUsedAt: now, lastUsedIp: request.ip })
        .where(and(eq(apiTokens.id, token.id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, stale))));
    }
    const principal: TokenPrincipal = {
      mspId: token.mspId,
      actor: {
        type: "token",
        tokenId: token.id,
        memberId: token.memberId,
        role: owner.role,
        label: owner.email,
        scopes: token.scopes,
        customerIds: token.customerIds,
      },
      request: info,
      steppedUpAt: null,
      token: { id: token.id, name: token.name, type: token.type, expiresAt: token.expiresAt },
    };
    return { principal };
  });
  if ("refused" in outcome) return refuse(started, presenter, { reason: outcome.refused, mspId: outcome.mspId });
  return outcome.principal;
}
