import { Redis } from "ioredis";
import { env } from "@/lib/env";

const globalForRedis = globalThis as unknown as { __stintRedis?: Redis };

/** Shared connection for rate limits and other short commands (BullMQ opens its own). */
export function getRedis(): Redis {
  globalForRedis.__stintRedis ??= new Redis(env.REDIS_URL, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
  return globalForRedis.__stintRedis;
}
