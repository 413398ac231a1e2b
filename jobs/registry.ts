import { randomUUID } from "node:crypto";
import type { Job } from "bullmq";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { systemContext } from "@/lib/services/context";
import { isJobName, jobDefinitions, type JobName, type JobPayload, type JobRun } from "./definitions";
import { handleAuditCheckpoint } from "./handlers/audit.checkpoint";
import { handleAuditVerify } from "./handlers/audit.verify";
import { handleConnectionCheck } from "./handlers/connection.check";
import { handleGrantExpire } from "./handlers/grant.expire";
import { handleGrantProvision } from "./handlers/grant.provision";
import { handleGrantRenewTap } from "./handlers/grant.renew_tap";
import { handleReconcileOrphans } from "./handlers/grant.reconcile_orphans";
import { handleNotificationDeliver } from "./handlers/notification.deliver";
import { handlePsaTicketWatch } from "./handlers/psa.ticket_watch";
import { handleSessionCleanup } from "./handlers/session.cleanup";

type Handler<N extends JobName> = (payload: JobPayload<N>, run: JobRun) => Promise<unknown>;

const handlers: { [N in JobName]: Handler<N> } = {
  "grant.provision": handleGrantProvision,
  "grant.expire": handleGrantExpire,
  "grant.renew_tap": handleGrantRenewTap,
  "grant.reconcile_orphans": handleReconcileOrphans,
  "audit.verify": handleAuditVerify,
  "audit.checkpoint": handleAuditCheckpoint,
  "session.cleanup": handleSessionCleanup,
  "connection.check": handleConnectionCheck,
  "notification.deliver": handleNotificationDeliver,
  "psa.ticket_watch": handlePsaTicketWatch,
};

type QueuedJob = Pick<Job, "name" | "data"> & Partial<Pick<Job, "id" | "attemptsMade" | "opts">>;

/**
 * Validates a job's payload against its definition and runs its handler. A job of a name Stint does not know
 * (left by an older or newer version, or a typo outside the typed producer) is logged and dropped, and so is a
 * job whose subject is not in the database (deleted since, or queued by another installation sharing the
 * Redis prefix): retrying either could never succeed. Work that is due is found again in Postgres by the sweeper.
 */
export async function runJob(job: QueuedJob): Promise<unknown> {
  if (!isJobName(job.name)) {
    logger.warn({ job: job.name, id: job.id }, "unknown job dropped");
    return { dropped: "unknown job" };
  }
  try {
    return await dispatch(job.name, job);
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== "not_found") throw err;
    logger.warn({ job: job.name, id: job.id, reason: err.message }, "job for something not in the database dropped");
    return { dropped: "not found" };
  }
}

async function dispatch<N extends JobName>(name: N, job: QueuedJob): Promise<unknown> {
  const payload = jobDefinitions[name].schema.parse(job.data ?? {}) as JobPayload<N>;
  const attempt = (job.attemptsMade ?? 0) + 1;
  const run: JobRun = {
    finalAttempt: attempt >= (job.opts?.attempts ?? 1),
    attempt,
    runId: job.id ?? `${name}-${randomUUID()}`,
    contextIn: (mspId) => systemContext(mspId, name),
  };
  const handler: Handler<N> = handlers[name];
  return handler(payload, run);
}
