import http from "node:http";
import { Worker } from "bullmq";
import { assertDatabaseRole, closeDb, listen } from "@/db/client";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { queueConnection, queuePrefix } from "@/lib/queue/connection";
import { closeQueues, queue, type QueueName } from "@/lib/queue/producer";
import { RetryLater, retryLaterBackoff } from "@/lib/queue/retry-later";
import { checkHealth } from "@/lib/services/health/check";
import { sweepDueGrants } from "@/lib/services/grants/sweep";
import { dispatchNotification } from "@/lib/services/notifications/dispatch";
import { outboxChannel } from "@/lib/services/notifications/enqueue";
import { sweepNotifications } from "@/lib/services/notifications/sweep";
import { startHeartbeat } from "@/lib/services/workers/heartbeat";
import { runJob } from "./registry";
import { restoreMissingSchedules, upsertSchedules } from "./schedules";

/**
 * Concurrency per queue: expiry gets the most slots, so taking access away never waits behind a burst of
 * new requests; Graph calls spend most of their time waiting, so slots are cheap.
 */
const concurrency: Record<QueueName, number> = {
  expiry: env.WORKER_CONCURRENCY * 4,
  provisioning: env.WORKER_CONCURRENCY * 2,
  maintenance: 2,
  notifications: env.WORKER_CONCURRENCY * 2,
};

/**
 * A failure nothing awaited leaves the process in a state nobody planned for: it is logged and the process exits,
 * for its supervisor to start a clean one (jobs it was running resume elsewhere through their leases).
 */
function exitOnUnhandled(what: string) {
  return (err: unknown) => {
    logger.fatal({ err }, `${what}: worker exiting`);
    process.exit(1);
  };
}

/** The worker process: BullMQ workers, schedules, a health endpoint, and a graceful SIGTERM with a time limit. */
async function main() {
  process.on("unhandledRejection", exitOnUnhandled("unhandled rejection"));
  process.on("uncaughtException", exitOnUnhandled("uncaught exception"));
  await assertDatabaseRole();
  const stopHeartbeat = await startHeartbeat();
  const connection = queueConnection();
  await upsertSchedules(queue("maintenance"));

  const workers = (Object.keys(concurrency) as QueueName[]).map((name) => {
    const worker = new Worker(name, (job) => runJob(job), {
      connection,
      prefix: queuePrefix(),
      concurrency: concurrency[name],
      lockDuration: env.JOB_LOCK_SECONDS * 1000,
      stalledInterval: (env.JOB_LOCK_SECONDS * 1000) / 2,
      // A stall is a dead worker, never the job's fault: the job runs again however often that happens, and
      // its own budget decides when to stop (BullMQ would otherwise fail it after one stall, unseen by Stint).
      maxStalledCount: 1_000,
      settings: { backoffStrategy: retryLaterBackoff },
    });
    worker.on("completed", (job, result) => logger.info({ queue: name, job: job.name, id: job.id, result }, "job completed"));
    worker.on("failed", (job, err) => {
      const fields = { queue: name, job: job?.name, id: job?.id, attempt: job?.attemptsMade, err };
      if (err instanceof RetryLater) logger.warn({ ...fields, retryInMs: err.delayMs }, "job attempt failed; retrying");
      else logger.error(fields, "job failed");
    });
    worker.on("error", (err) => logger.error({ queue: name, err }, "worker error"));
    return worker;
  });

  // The sweeper runs on a timer in this process, reading Postgres: it keeps working when Redis loses
  // its keys (timers, schedules and all), and puts back the schedules. Several workers may sweep at once:
  // deterministic job ids and the grants' leases keep them from doing the same work twice (sweep.ts).
  let sweeping = false;
  const sweeper = setInterval(async () => {
    if (sweeping) return;
    sweeping = true;
    try {
      const swept = await sweepDueGrants();
      if (Object.values(swept).some(Boolean)) logger.info({ swept }, "sweeper re-queued due grants");
    } catch (err) {
      logger.error({ err }, "sweep failed");
    }
    try {
      const swept = await sweepNotifications();
      if (swept.fannedOut || swept.requeued || swept.reminders || swept.repeats) logger.info({ swept }, "sweeper handled notifications");
    } catch (err) {
      logger.error({ err }, "notification sweep failed");
    }
    try {
      const restored = await restoreMissingSchedules(queue("maintenance"));
      if (restored.length) logger.warn({ restored }, "sweeper restored schedules Redis had lost");
    } catch (err) {
      logger.error({ err }, "schedule check failed");
    }
    sweeping = false;
  }, env.SWEEP_EVERY_SECONDS * 1000);

  // A committed outbox event wakes the worker at once; every worker hears it, and the first to lock the row
  // fans it out. Missed wake-ups (a reconnect, a worker down) are the sweeper's.
  const unlisten = await listen(outboxChannel, (message) => {
    const [mspId, outboxId] = message.split(":");
    if (!mspId || !outboxId) return;
    dispatchNotification(mspId, outboxId).catch((err: unknown) => logger.error({ err, outboxId }, "notification fan-out failed; the sweeper retries"));
  });

  const health = http.createServer(async (req, res) => {
    if (req.url !== "/health") {
      res.writeHead(404).end();
      return;
    }
    const status = await checkHealth();
    const running = workers.every((w) => w.isRunning());
    const body = { ...status, ok: status.ok && running, worker: running };
    res.writeHead(body.ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  health.listen(env.WORKER_HEALTH_PORT, "127.0.0.1");
  logger.info({ healthPort: env.WORKER_HEALTH_PORT, concurrency }, "worker started");

  // Running jobs get WORKER_SHUTDOWN_TIMEOUT_SECONDS to finish; after that the process exits 1 without them, as if
  // it had crashed: their locks and leases lapse and another worker takes them over.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const timeoutSeconds = env.WORKER_SHUTDOWN_TIMEOUT_SECONDS;
    logger.info({ signal, timeoutSeconds }, "worker stopping: finishing running jobs");
    clearInterval(sweeper);
    await unlisten().catch(() => {});
    health.close();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timed out">((resolve) => {
      timer = setTimeout(() => resolve("timed out"), timeoutSeconds * 1000);
    });
    const closed = Promise.all(workers.map((w) => w.close())).then(() => "closed" as const);
    if ((await Promise.race([closed, timedOut])) === "timed out") {
      logger.error({ signal, timeoutSeconds }, "worker stop timed out with jobs still running: exiting without them");
      process.exit(1);
    }
    clearTimeout(timer);
    await stopHeartbeat();
    await closeQueues();
    await closeDb();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((err) => {
  logger.fatal({ err }, "worker failed to start");
  process.exit(1);
});
