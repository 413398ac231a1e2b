import { z } from "zod";

/** Queues by urgency: later issues add `expiry` (ahead of everything) and `provisioning`. */
export const queueNames = ["maintenance"] as const;
export type QueueName = (typeof queueNames)[number];

export const jobDefinitions = {
  "audit.verify": {
    queue: "maintenance",
    schema: z.object({ mspId: z.string().optional() }),
  },
  "session.cleanup": {
    queue: "maintenance",
    schema: z.object({}),
  },
  "connection.check": {
    queue: "maintenance",
    schema: z.object({ mspId: z.string().optional() }),
  },
} as const satisfies Record<string, { queue: QueueName; schema: z.ZodType }>;

export type JobName = keyof typeof jobDefinitions;
export type JobPayload<N extends JobName> = z.infer<(typeof jobDefinitions)[N]["schema"]>;
