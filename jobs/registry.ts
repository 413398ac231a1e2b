import type { Job } from "bullmq";
import { jobDefinitions, type JobName } from "./definitions";
import { handleAuditVerify } from "./handlers/audit.verify";
import { handleConnectionCheck } from "./handlers/connection.check";
import { handleSessionCleanup } from "./handlers/session.cleanup";

const handlers: { [N in JobName]: (payload: never) => Promise<unknown> } = {
  "audit.verify": handleAuditVerify,
  "session.cleanup": handleSessionCleanup,
  "connection.check": handleConnectionCheck,
};

/** Validates a job's payload against its definition and runs its handler. */
export async function runJob(job: Pick<Job, "name" | "data">): Promise<unknown> {
  const name = job.name as JobName;
  const definition = jobDefinitions[name];
  if (!definition) throw new Error(`Unknown job ${job.name}`);
  const payload = definition.schema.parse(job.data ?? {});
  return handlers[name](payload as never);
}
