import { createHash, createHmac } from "node:crypto";
import { decryptSecret, encryptSecret } from "@/lib/crypto/envelope";
import { keyRing } from "@/lib/crypto/key-ring";
import { serverSubkey } from "@/lib/crypto/server-key";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { getRedis } from "@/lib/redis";

/**
 * Idempotency keys for the API's creating POSTs (`Idempotency-Key` header), kept in Redis for 24 hours
 * and scoped by MSP and principal (a token id, or a member for cookie sessions):
 *   - first use: a "pending" marker is set with NX, the handler runs, its status and body are stored;
 *   - same key, same request (method, path, body hash) → the stored answer again (Idempotent-Replayed: true),
 *     or, for an operation with a replayAnswer (creating a token), that instead: the secret is never kept;
 *   - same key, different request → 422 (field Idempotency-Key); still running → 409;
 *   - a handler that fails releases the key, so a corrected retry can use it (only successes are kept).
 * Stored answers are sealed with the envelope key ring (AES-256-GCM, bound to the Redis key), never kept
 * in clear: they are the MSP's data, in a store outside Postgres's row-level security.
 */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
const PENDING_TTL_SECONDS = 60;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

type Stored = { state: "pending"; hash: string } | { state: "done"; hash: string; status: number; sealed: string };

export type IdempotencyScope = { mspId: string; principal: string };
export type Replay = { status: number; body: unknown };

/** Keyed, so the stored hash cannot be tried against guesses of what the body held (a one-time code, say). */
export function requestHash(method: string, path: string, rawBody: string): string {
  return createHmac("sha256", serverSubkey("idempotency-request")).update(`${method}\n${path}\n${rawBody}`).digest("hex");
}

function redisKey(scope: IdempotencyScope, key: string): string {
  const k = createHash("sha256").update(key).digest("hex");
  return `${env.QUEUE_PREFIX}:idem:v1:${scope.mspId}:${scope.principal}:${k}`;
}

export function parseIdempotencyKey(header: string | null): string | null {
  if (header === null) return null;
  if (!KEY_PATTERN.test(header)) {
    throw new AppError("validation_failed", "Idempotency-Key: 1–255 visible ASCII characters.", { field: "Idempotency-Key" });
  }
  return header;
}

/** Claims the key, or answers with what the first request got. */
export async function beginIdempotent(scope: IdempotencyScope, key: string, hash: string): Promise<{ replay: Replay } | { claimed: string }> {
  const redis = getRedis();
  const rk = redisKey(scope, key);
  const pending: Stored = { state: "pending", hash };
  const set = await redis.set(rk, JSON.stringify(pending), "EX", PENDING_TTL_SECONDS, "NX");
  if (set === "OK") return { claimed: rk };
  const raw = await redis.get(rk);
  if (!raw) return beginIdempotent(scope, key, hash);
  const stored = JSON.parse(raw) as Stored;
  if (stored.hash !== hash) {
    throw new AppError("validation_failed", "Idempotency-Key: this key was used with a different request.", { field: "Idempotency-Key" });
  }
  if (stored.state === "pending") throw new AppError("conflict", "A request with this Idempotency-Key is still being processed.");
  return { replay: { status: stored.status, body: JSON.parse(decryptSecret(keyRing(), stored.sealed, `idempotency:${rk}`)) } };
}

export async function finishIdempotent(claimed: string, hash: string, status: number, body: unknown): Promise<void> {
  const done: Stored = { state: "done", hash, status, sealed: encryptSecret(keyRing(), JSON.stringify(body ?? null), `idempotency:${claimed}`) };
  await getRedis().set(claimed, JSON.stringify(done), "EX", IDEMPOTENCY_TTL_SECONDS);
}

export async function releaseIdempotent(claimed: string): Promise<void> {
  await getRedis().del(claimed);
}
