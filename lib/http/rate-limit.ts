import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { getRedis } from "@/lib/redis";

const limiters = new Map<string, RateLimiterRedis>();

function limiter(name: string, points: number, durationSeconds: number): RateLimiterRedis {
  let l = limiters.get(name);
  if (!l) {
    // QUEUE_PREFIX keeps installations that share one Redis apart, as it does for their queues.
    l = new RateLimiterRedis({ storeClient: getRedis(), keyPrefix: `${env.QUEUE_PREFIX}:rl:${name}`, points, duration: durationSeconds });
    limiters.set(name, l);
  }
  return l;
}

function tooMany(res: RateLimiterRes): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return new AppError("rate_limited", "Too many attempts. Try again shortly.", { retryAfterSeconds });
}

/** Consumes one point; over the limit answers 429 with Retry-After. Shared by every web instance via Redis. */
export async function rateLimit(name: string, key: string, points: number, durationSeconds: number): Promise<void> {
  try {
    await limiter(name, points, durationSeconds).consume(key);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw tooMany(err);
    throw err;
  }
}

/**
 * Answers 429 when `key` has used up its points in the window, without consuming one. For limits that
 * count only failures (rateLimit on each failure) but must then refuse every attempt, good or bad.
 */
export async function assertUnderRateLimit(name: string, key: string, points: number, durationSeconds: number): Promise<void> {
  const res = await limiter(name, points, durationSeconds).get(key);
  if (res && res.consumedPoints >= points) throw tooMany(res);
}
