import { createHash, createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { parseKeyRing } from "@/lib/crypto/envelope";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";

let cachedKey: Buffer | undefined;

/**
 * The server key of token digests. A keyed digest (not a plain SHA-256) means a copy of the database
 * alone cannot confirm a guessed token, nor be searched offline for tokens found elsewhere.
 *
 * TOKEN_DIGEST_KEY when set. Unset (development, and `npm start` on a fresh machine, which makes a
 * key ring in .data/), it is derived from the first key of ENCRYPTION_KEYS with HKDF-SHA256 under a
 * label of its own, so the digest key is never the encryption key itself. The catch, and the reason
 * production should set TOKEN_DIGEST_KEY: once that first key leaves the ring, every token stops working.
 */
function digestKey(): Buffer {
  if (cachedKey) return cachedKey;
  if (env.TOKEN_DIGEST_KEY) {
    cachedKey = Buffer.from(env.TOKEN_DIGEST_KEY, "base64");
    return cachedKey;
  }
  if (!env.ENCRYPTION_KEYS) {
    throw new Error("Neither TOKEN_DIGEST_KEY nor ENCRYPTION_KEYS is set: Stint cannot issue or check access tokens. See .env.example.");
  }
  const first = parseKeyRing(env.ENCRYPTION_KEYS, undefined).keys.values().next().value!;
  cachedKey = Buffer.from(hkdfSync("sha256", first, Buffer.alloc(0), "stint token digest v1", 32));
  if (env.NODE_ENV === "production") {
    logger.warn("TOKEN_DIGEST_KEY is not set: token digests use a key derived from ENCRYPTION_KEYS (set TOKEN_DIGEST_KEY; see .env.example)");
  }
  return cachedKey;
}

/** HMAC-SHA256 of a token under the server key, hex: the only form in which a token is stored. */
export function tokenDigest(token: string): string {
  return createHmac("sha256", digestKey()).update(token, "utf8").digest("hex");
}

/**
 * Equality without an early exit: both sides are hashed to 32 bytes first, so neither the length nor
 * the first differing character shows in the time taken (timingSafeEqual alone throws on unequal lengths).
 */
export function safeEqualText(a: string, b: string): boolean {
  const da = createHash("sha256").update(a, "utf8").digest();
  const db = createHash("sha256").update(b, "utf8").digest();
  return timingSafeEqual(da, db);
}
