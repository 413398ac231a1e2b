import type { Queue } from "bullmq";
import { env } from "@/lib/env";

/** Repeatable jobs, upserted at every worker start (idempotent: one scheduler per id). */
export async function upsertSchedules(maintenance: Queue): Promise<void> {
  await maintenance.upsertJobScheduler(
    "audit.verify",
    { every: env.AUDIT_VERIFY_EVERY_MINUTES * 60_000 },
    { name: "audit.verify", data: {}, opts: { removeOnComplete: 100, removeOnFail: 500 } },
  );
  await maintenance.upsertJobScheduler(
    "connection.check",
    { every: env.CONNECTION_CHECK_EVERY_MINUTES * 60_000 },
    { name: "connection.check", data: {}, opts: { removeOnComplete: 100, removeOnFail: 500 } },
  );
  await maintenance.upsertJobScheduler(
    "session.cleanup",
    { every: env.CLEANUP_EVERY_MINUTES * 60_000 },
    { name: "session.cleanup", data: {}, opts: { removeOnComplete: 100, removeOnFail: 500 } },
  );
}
