import type { ConnectionOptions } from "bullmq";
import { env } from "@/lib/env";

/** BullMQ needs maxRetriesPerRequest: null on worker connections (blocking commands). */
export function queueConnection(): ConnectionOptions {
  const url = new URL(env.REDIS_URL);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username || undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === "rediss:" ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}

export const queuePrefix = () => env.QUEUE_PREFIX;
