import postgres from "postgres";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { env, requireDatabaseUrl } from "@/lib/env";
import { assertRuntimeRole } from "./runtime-role";
import * as schema from "./schema";

export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

type Handle = { db: Db; client: postgres.Sql };
const globalForDb = globalThis as unknown as { __stintDb?: Handle };

/** One pool per process, created on first use (kept across hot reloads in development). */
export function getDb(): Db {
  if (!globalForDb.__stintDb) {
    const client = postgres(requireDatabaseUrl(), {
      max: env.DB_POOL_MAX,
      onnotice: () => {},
      connection: { application_name: `stint-${env.STINT_PROCESS}` },
    });
    globalForDb.__stintDb = { db: drizzle({ client, schema }), client };
  }
  return globalForDb.__stintDb.db;
}

/** Refuses to go on when DATABASE_URL's role could leave stint_app (db/runtime-role.ts); web and worker call it at start. */
export async function assertDatabaseRole(): Promise<void> {
  getDb();
  await assertRuntimeRole(globalForDb.__stintDb!.client);
}

/**
 * Calls `onMessage` for every NOTIFY on `channel` (postgres.js keeps one connection for it and reconnects).
 * Postgres sends a NOTIFY only when its transaction commits. Returns the function that stops listening.
 */
export async function listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>> {
  getDb();
  const { unlisten } = await globalForDb.__stintDb!.client.listen(channel, onMessage);
  return unlisten;
}

export async function closeDb(): Promise<void> {
  const handle = globalForDb.__stintDb;
  globalForDb.__stintDb = undefined;
  await handle?.client.end({ timeout: 5 });
}
