import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "@/lib/errors";
import { getRedis } from "@/lib/redis";

const limiters = new Map<string, RateLimiterRedis>();

function limiter(name: string, points: number, durationSeconds: number): RateLimiterRedis {
  let l = limiters.get(name);
  if (!l) {
    l = new RateLimiterRedis({ storeClient: getRedis(), keyPrefix: `stint:rl:${name}`, points, duration: durationSeconds });
    limiters.set(name, l);
  }
  return l;
}

/** Consumes one point; over the limit answers 429 with Retry-After. Shared by every web instance via Redis. */
export async function rateLimit(name: string, key: string, points: number, durationSeconds: number): Promise<void> {
  try {
    await limiter(name, points, durationSeconds).consume(key);
  } catch (err) {
    if (err instanceof RateLimiterRes) {
      const retryAfterSeconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
      throw new AppError("rate_limited", "Too many attempts. Try again shortly.", { retryAfterSeconds });
    }
    throw err;
  }
}
