import { z } from "zod";
import type { QueueName } from "@/lib/queue/producer";
import type { SystemContext } from "@/lib/services/context";

const grantJob = z.object({ mspId: z.string().min(1), grantId: z.string().min(1) });
const optionalMsp = z.object({ mspId: z.string().optional() });

export const jobDefinitions = {
  "grant.provision": { queue: "provisioning", schema: grantJob },
  "grant.expire": { queue: "expiry", schema: grantJob },
  "grant.renew_tap": { queue: "provisioning", schema: grantJob },
  "grant.reconcile_orphans": { queue: "maintenance", schema: optionalMsp },
  "audit.verify": { queue: "maintenance", schema: optionalMsp },
  "audit.checkpoint": { queue: "maintenance", schema: optionalMsp },
  "session.cleanup": { queue: "maintenance", schema: z.object({}) },
  "notification.deliver": { queue: "notifications", schema: z.object({ mspId: z.string().min(1), deliveryId: z.string().min(1) }) },
  "connection.check": { queue: "maintenance", schema: optionalMsp.extend({ customerId: z.string().optional() }) },
  "psa.ticket_watch": { queue: "maintenance", schema: optionalMsp },
} as const satisfies Record<string, { queue: QueueName; schema: z.ZodType }>;

export type JobName = keyof typeof jobDefinitions;
/** What a handler gets, parsed. */
export type JobPayload<N extends JobName> = z.infer<(typeof jobDefinitions)[N]["schema"]>;
/** What enqueueing takes: a job name and data that do not match do not compile. */
export type JobInput<N extends JobName> = z.input<(typeof jobDefinitions)[N]["schema"]>;

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(jobDefinitions, name);
}

/**
 * What a handler knows about its run: whether BullMQ will try again if this attempt throws, which attempt
 * this is (1 = the first), the job's id, which names the run in a grant's lease, and the context its
 * services act in, in one MSP, as this job.
 */
export type JobRun = { finalAttempt: boolean; attempt: number; runId: string; contextIn: (mspId: string) => SystemContext };
