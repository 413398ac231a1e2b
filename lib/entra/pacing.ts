import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { env } from "@/lib/env";
import { getRedis } from "@/lib/redis";

/**
 * Graph's identity write quota per application and tenant is 3,000 writes per 150 s (Microsoft Graph
 * throttling limits, identity and access). Stint paces its own writes (GRAPH_WRITES_PER_WINDOW per
 * GRAPH_WRITE_WINDOW_SECONDS) to each tenant below that in Redis, shared by every worker, so one busy customer
 * queues its own writes instead of turning a burst into a 429 storm, and never slows another customer's expiry.
 */
let limiter: RateLimiterRedis | undefined;

function writeBudget(): RateLimiterRedis {
  limiter ??= new RateLimiterRedis({ storeClient: getRedis(), keyPrefix: `${env.QUEUE_PREFIX}:graph-writes`, points: env.GRAPH_WRITES_PER_WINDOW, duration: env.GRAPH_WRITE_WINDOW_SECONDS });
  return limiter;
}

/** Waits until the tenant's write budget allows one more write. */
export async function paceWrite(tenantKey: string): Promise<void> {
  for (;;) {
    try {
      await writeBudget().consume(tenantKey);
      return;
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.min(err.msBeforeNext, 5_000)));
    }
  }
}
