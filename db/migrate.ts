import path from "node:path";
import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";

export const migrationsFolder = path.join(import.meta.dirname, "migrations");

/** Applies committed migrations with the connection's own role (the owner of the schema). */
export async function runMigrations(databaseUrl: string): Promise<void> {
  const client = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    // Concurrent starters (web and worker) must not race: one applies, the other waits.
    await client`select pg_advisory_lock(727274)`;
    await migrate(drizzle({ client }), { migrationsFolder });
    await client`select pg_advisory_unlock(727274)`;
  } finally {
    await client.end({ timeout: 5 });
  }
}
