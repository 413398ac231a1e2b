import { randomUUID } from "node:crypto";
import type { Job } from "bullmq";
import { systemContext } from "@/lib/services/context";
import { jobDefinitions, type JobName, type JobRun } from "./definitions";
import { handleAuditCheckpoint } from "./handlers/audit.checkpoint";
import { handleAuditVerify } from "./handlers/audit.verify";
import { handleConnectionCheck } from "./handlers/connection.check";
import { handleGrantExpire } from "./handlers/grant.expire";
import { handleGrantProvision } from "./handlers/grant.provision";
import { handleGrantRenewTap } from "./handlers/grant.renew_tap";
import { handleReconcileOrphans } from "./handlers/grant.reconcile_orphans";
import { handleSessionCleanup } from "./handlers/session.cleanup";

const handlers: { [N in JobName]: (payload: never, run: JobRun) => Promise<unknown> } = {
  "grant.provision": handleGrantProvision,
  "grant.expire": handleGrantExpire,
  "grant.renew_tap": handleGrantRenewTap,
  "grant.reconcile_orphans": handleReconcileOrphans,
  "audit.verify": handleAuditVerify,
  "audit.checkpoint": handleAuditCheckpoint,
  "session.cleanup": handleSessionCleanup,
  "connection.check": handleConnectionCheck,
};

/** Validates a job's payload against its definition and runs its handler. */
export async function runJob(job: Pick<Job, "name" | "data"> & Partial<Pick<Job, "id" | "attemptsMade" | "opts">>): Promise<unknown> {
  const name = job.name as JobName;
  const definition = jobDefinitions[name];
  if (!definition) throw new Error(`Unknown job ${job.name}`);
  const payload = definition.schema.parse(job.data ?? {});
  const attempt = (job.attemptsMade ?? 0) + 1;
  const run: JobRun = {
    finalAttempt: attempt >= (job.opts?.attempts ?? 1),
    attempt,
    runId: job.id ?? `${name}-${randomUUID()}`,
    contextIn: (mspId) => systemContext(mspId, name),
  };
  return handlers[name](payload as never, run);
}
