import type { Queue } from "bullmq";
import { env } from "@/lib/env";

const keep = { removeOnComplete: 100, removeOnFail: 500 };

/** Repeatable jobs, upserted at every worker start (idempotent: one scheduler per id). */
export async function upsertSchedules(maintenance: Queue): Promise<void> {
  const every = (name: string, ms: number) => maintenance.upsertJobScheduler(name, { every: ms }, { name, data: {}, opts: keep });
  await every("grant.reconcile_orphans", env.ORPHAN_SCAN_EVERY_MINUTES * 60_000);
  await every("audit.verify", env.AUDIT_VERIFY_EVERY_MINUTES * 60_000);
  await every("audit.checkpoint", env.AUDIT_CHECKPOINT_EVERY_MINUTES * 60_000);
  await every("connection.check", env.CONNECTION_CHECK_EVERY_MINUTES * 60_000);
  await every("session.cleanup", env.CLEANUP_EVERY_MINUTES * 60_000);
}
