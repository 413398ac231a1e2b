import { Queue, type JobsOptions } from "bullmq";
import { jobDefinitions, type JobInput, type JobName } from "@/jobs/definitions";
import { queueConnection, queuePrefix } from "./connection";

/**
 * Queues by urgency. `expiry` (grant ends, revocations) has its own workers so a burst of requests can
 * never delay taking access away; `provisioning` creates accounts; `maintenance` runs schedules; `notifications`
 * sends messages, so a slow receiver never holds up Entra work.
 */
export const queueNames = ["expiry", "provisioning", "maintenance", "notifications"] as const;
export type QueueName = (typeof queueNames)[number];

const queues = new Map<QueueName, Queue>();

export function queue(name: QueueName): Queue {
  let q = queues.get(name);
  if (!q) {
    q = new Queue(name, { connection: queueConnection(), prefix: queuePrefix() });
    queues.set(name, q);
  }
  return q;
}

/**
 * Queues a job on the queue its definition names (jobs/definitions). Job data carries ids only: BullMQ keeps
 * it in Redis in clear text, so never a secret.
 */
export async function enqueue<N extends JobName>(name: N, data: JobInput<N>, opts: JobsOptions = {}): Promise<void> {
  await queue(jobDefinitions[name].queue).add(name, data, { removeOnComplete: 1000, removeOnFail: 5000, ...opts });
}

export async function closeQueues(): Promise<void> {
  await Promise.all([...queues.values()].map((q) => q.close()));
  queues.clear();
}
