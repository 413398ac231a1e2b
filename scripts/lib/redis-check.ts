import { Redis } from "ioredis";

const TIMEOUT_MS = 2_000;

/** Fails fast, with what to do about it, when Redis does not answer a PING at `url`. */
export async function assertRedisReachable(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  let firstError: unknown;
  // Keeps the real reason (e.g. ECONNREFUSED) where connect() only says "Connection is closed".
  redis.on("error", (err) => (firstError ??= err));
  try {
    await withTimeout(redis.connect().then(() => redis.ping()), TIMEOUT_MS);
  } catch (err) {
    const cause = firstError ?? err;
    throw new Error(
      `Redis is not reachable at ${withoutPassword(url)} (${(cause as Error).message}). ` +
        "Stint needs Redis (6.2 or newer) for its job queues. Install it (Debian: apt-get install redis-server; " +
        "macOS: brew install redis) and start it, or set REDIS_URL.",
      { cause },
    );
  } finally {
    redis.disconnect();
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`No answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return url;
  }
}
