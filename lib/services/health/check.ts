import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { getRedis } from "@/lib/redis";

/** Liveness of the two stores Stint cannot work without. */
export async function checkHealth(): Promise<{ ok: boolean; database: boolean; redis: boolean }> {
  const [database, redis] = await Promise.all([
    getDb().execute(sql`select 1`).then(() => true, () => false),
    getRedis().ping().then((r) => r === "PONG", () => false),
  ]);
  return { ok: database && redis, database, redis };
}
