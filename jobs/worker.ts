import http from "node:http";
import { Queue, Worker } from "bullmq";
import { closeDb } from "@/db/client";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { queueConnection, queuePrefix } from "@/lib/queue/connection";
import { checkHealth } from "@/lib/services/health/check";
import { runJob } from "./registry";
import { upsertSchedules } from "./schedules";

/** The worker process: BullMQ workers, schedules, a health endpoint, and a graceful SIGTERM. */
async function main() {
  const connection = queueConnection();
  const maintenance = new Queue("maintenance", { connection, prefix: queuePrefix() });
  await upsertSchedules(maintenance);

  const worker = new Worker("maintenance", (job) => runJob(job), {
    connection,
    prefix: queuePrefix(),
    concurrency: env.WORKER_CONCURRENCY,
  });
  worker.on("completed", (job, result) => logger.info({ job: job.name, id: job.id, result }, "job completed"));
  worker.on("failed", (job, err) => logger.error({ job: job?.name, id: job?.id, err }, "job failed"));
  worker.on("error", (err) => logger.error({ err }, "worker error"));

  const health = http.createServer(async (req, res) => {
    if (req.url !== "/health") {
      res.writeHead(404).end();
      return;
    }
    const status = await checkHealth();
    const body = { ...status, ok: status.ok && worker.isRunning(), worker: worker.isRunning() };
    res.writeHead(body.ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  health.listen(env.WORKER_HEALTH_PORT, "127.0.0.1");
  logger.info({ healthPort: env.WORKER_HEALTH_PORT }, "worker started");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "worker stopping: finishing running jobs");
    health.close();
    await worker.close();
    await maintenance.close();
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
