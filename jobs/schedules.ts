import type { Queue } from "bullmq";
import { env } from "@/lib/env";
import type { jobDefinitions, JobInput, JobName } from "./definitions";

const keep = { removeOnComplete: 100, removeOnFail: 500 };

/** Jobs that can run on a schedule: maintenance jobs whose data may be empty (they then visit every MSP). */
type SchedulableJob = {
  [N in JobName]: (typeof jobDefinitions)[N]["queue"] extends "maintenance" ? (Record<string, never> extends JobInput<N> ? N : never) : never;
}[JobName];

/** The repeatable maintenance jobs and how often each runs. */
function scheduled(): [SchedulableJob, number][] {
  return [
    ["grant.reconcile_orphans", env.ORPHAN_SCAN_EVERY_MINUTES * 60_000],
    ["audit.verify", env.AUDIT_VERIFY_EVERY_MINUTES * 60_000],
    ["audit.checkpoint", env.AUDIT_CHECKPOINT_EVERY_MINUTES * 60_000],
    ["connection.check", env.CONNECTION_CHECK_EVERY_MINUTES * 60_000],
    ["session.cleanup", env.CLEANUP_EVERY_MINUTES * 60_000],
    ["psa.ticket_watch", env.PSA_TICKET_WATCH_EVERY_SECONDS * 1000],
  ];
}

/** Repeatable jobs, upserted at every worker start (idempotent: one scheduler per id). */
export async function upsertSchedules(maintenance: Queue): Promise<void> {
  for (const [name, every] of scheduled()) await maintenance.upsertJobScheduler(name, { every }, { name, data: {}, opts: keep });
}

/**
 * Re-creates any schedule Redis lost (a flush, an eviction, a failover to an empty replica) without waiting for
 * a worker restart; returns the names it restored. The sweeper calls it.
 */
export async function restoreMissingSchedules(maintenance: Queue): Promise<string[]> {
  const restored: string[] = [];
  for (const [name, every] of scheduled()) {
    if (await maintenance.getJobScheduler(name)) continue;
    await maintenance.upsertJobScheduler(name, { every }, { name, data: {}, opts: keep });
    restored.push(name);
  }
  return restored;
}
