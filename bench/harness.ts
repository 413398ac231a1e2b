import { Worker } from "bullmq";
import { runJob } from "@/jobs/registry";
import { upsertSchedules } from "@/jobs/schedules";
import { env } from "@/lib/env";
import { queueConnection, queuePrefix } from "@/lib/queue/connection";
import { queue, type QueueName } from "@/lib/queue/producer";

/**
 * Stint's worker, in the bench process: the same BullMQ workers as jobs/worker.ts (queues, concurrency,
 * lock settings, runJob from jobs/registry.ts, the repeatable schedules), minus the health endpoint.
 * The processor is wrapped only to take timestamps: when a grant's jobs start and when provisioning
 * returns.
 */

const concurrency: Record<QueueName, number> = {
  expiry: env.WORKER_CONCURRENCY * 4,
  provisioning: env.WORKER_CONCURRENCY * 2,
  maintenance: 2,
  notifications: env.WORKER_CONCURRENCY * 2,
};

type Provisioned = { startedAt: number; finishedAt: number; state: string; attempts: number };
type Failure = { queue: QueueName; job: string; grantId?: string; attempt: number; message: string };

export class Harness {
  readonly concurrency = concurrency;
  private workers: Worker[] = [];
  /** First start of a grant's provisioning job. */
  readonly provisionStarts = new Map<string, number>();
  /** The provisioning handler's return (the grant committed active, its expiry timer queued). */
  readonly provisioned = new Map<string, Provisioned>();
  /** First start of a grant's expiry job. */
  readonly expireStarts = new Map<string, number>();
  /** How many expiry jobs ran for a grant (the timer's, plus any the sweeper queued). */
  readonly expireRuns = new Map<string, number>();
  /** Expiry jobs that found nothing to do (the grant had already ended). */
  readonly expireSkips = new Map<string, number>();
  readonly failures: Failure[] = [];
  /** Maintenance jobs that ran (sweeps and the other schedules), with their start and end. */
  readonly maintenanceRuns: { job: string; startedAt: number; finishedAt: number }[] = [];
  private readonly waiters = new Map<string, ((p: Provisioned) => void)[]>();

  async start(): Promise<void> {
    const connection = queueConnection();
    await upsertSchedules(queue("maintenance"));
    this.workers = (Object.keys(concurrency) as QueueName[]).map((name) => {
      const worker = new Worker(
        name,
        async (job) => {
          const startedAt = Date.now();
          const grantId = typeof job.data?.grantId === "string" ? (job.data.grantId as string) : undefined;
          if (grantId && job.name === "grant.expire") {
            if (!this.expireStarts.has(grantId)) this.expireStarts.set(grantId, startedAt);
            this.expireRuns.set(grantId, (this.expireRuns.get(grantId) ?? 0) + 1);
          }
          if (grantId && job.name === "grant.provision" && !this.provisionStarts.has(grantId)) this.provisionStarts.set(grantId, startedAt);
          const result = await runJob(job);
          if (name === "maintenance") this.maintenanceRuns.push({ job: job.name, startedAt, finishedAt: Date.now() });
          if (grantId && job.name === "grant.expire" && (result as { skipped?: boolean } | undefined)?.skipped) {
            this.expireSkips.set(grantId, (this.expireSkips.get(grantId) ?? 0) + 1);
          }
          if (grantId && job.name === "grant.provision") {
            const outcome = result as { state?: string; skipped?: boolean } | undefined;
            const done: Provisioned = { startedAt, finishedAt: Date.now(), state: outcome?.state ?? "unknown", attempts: job.attemptsMade + 1 };
            // A skipped run (the grant had already moved on) is a duplicate job, not the grant's outcome.
            if (!outcome?.skipped) {
              this.provisioned.set(grantId, done);
              for (const resolve of this.waiters.get(grantId) ?? []) resolve(done);
              this.waiters.delete(grantId);
            }
          }
          return result;
        },
        {
          connection,
          prefix: queuePrefix(),
          concurrency: concurrency[name],
          lockDuration: env.JOB_LOCK_SECONDS * 1000,
          stalledInterval: env.JOB_LOCK_SECONDS * 1000,
        },
      );
      worker.on("failed", (job, err) => {
        this.failures.push({ queue: name, job: job?.name ?? "?", grantId: job?.data?.grantId, attempt: job?.attemptsMade ?? 0, message: err.message });
      });
      worker.on("error", (err) => console.error(`bench: ${name} worker error:`, err.message));
      return worker;
    });
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
  }

  /** Resolves when the grant's provisioning job returns (any outcome but a thrown attempt). */
  waitProvisioned(grantId: string): Promise<Provisioned> {
    const done = this.provisioned.get(grantId);
    if (done) return Promise.resolve(done);
    return new Promise((resolve) => this.waiters.set(grantId, [...(this.waiters.get(grantId) ?? []), resolve]));
  }

  failureSummary(grantIds?: Set<string>): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const f of this.failures) {
      if (grantIds && (!f.grantId || !grantIds.has(f.grantId))) continue;
      const key = `${f.job}: ${f.message.slice(0, 120)}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
