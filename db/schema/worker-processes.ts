import { pgTable, text } from "drizzle-orm/pg-core";
import { tstz } from "./_columns";

/**
 * The worker processes alive now, each beating every second (lib/queue/heartbeat.ts): a lease whose process has
 * gone silent is abandoned at once, not when it lapses. Installation-wide, not MSP data.
 */
export const workerProcesses = pgTable("worker_processes", {
  id: text("id").primaryKey(),
  startedAt: tstz("started_at").notNull().defaultNow(),
  seenAt: tstz("seen_at").notNull().defaultNow(),
});
