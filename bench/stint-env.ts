import { randomBytes } from "node:crypto";
import type { AppSnapshot } from "@/emulator/control/control";
import type { DatabaseUrls } from "@/test/db";

/**
 * Stint's configuration for a process a launcher (bench/run.ts, bench/soak/run.ts) starts against its own
 * emulator, database and Redis prefix: lib/env.ts reads it at import time, and Node reads NODE_EXTRA_CA_CERTS
 * only at start-up, so both must be in the environment the process starts with.
 */
export function stintEnvironment(s: { caCertPath: string; emulatorUrl: string; app: AppSnapshot; database: DatabaseUrls; redisUrl: string; queuePrefix: string }): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_EXTRA_CA_CERTS: s.caCertPath,
    NODE_ENV: "production",
    STINT_PROCESS: "worker",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    DATABASE_URL: s.database.url,
    DATABASE_OWNER_URL: s.database.ownerUrl,
    REDIS_URL: s.redisUrl,
    QUEUE_PREFIX: s.queuePrefix,
    ENCRYPTION_KEYS: `bench:${randomBytes(32).toString("base64")}`,
    ENTRA_CLIENT_ID: s.app.clientId,
    ENTRA_CLIENT_SECRET: s.app.secrets[0]!.value,
    ENTRA_AUTHORITY_HOST: s.emulatorUrl,
    GRAPH_BASE_URL: s.emulatorUrl,
  };
}
